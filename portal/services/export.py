"""CSV export of case lists, safe to open in a spreadsheet."""

import csv
import io

from models.case import CHANNEL_LABELS, KIND_LABELS, Channel, Kind
from models.workflow import LABELS, Status

# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")
HEADER = ["受理编号", "渠道", "类别", "标题", "承办科室", "状态", "收到日期", "期限", "答复日期"]


def neutralize(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def case_row(case):
    return [
        case.number,
        CHANNEL_LABELS[Channel(case.channel)],
        KIND_LABELS[Kind(case.kind)],
        case.title,
        case.unit.name if case.unit else "",
        LABELS[Status(case.status)],
        case.received_on.isoformat(),
        case.due_on.isoformat() if case.due_on else "",
        case.replied_on.isoformat() if case.replied_on else "",
    ]


def case_rows_csv(cases):
    """Yield the CSV text (UTF-8 with BOM so that Excel reads Chinese) a few rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(HEADER)
    for case in cases:
        writer.writerow([neutralize(v) for v in case_row(case)])
        if buffer.tell() > 16384:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
