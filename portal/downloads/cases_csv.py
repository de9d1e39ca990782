"""CSV export of case lists, safe to open in a spreadsheet, streamed in bounded memory."""

import csv
import io
import logging

from sqlalchemy import select

from models import Case, Unit, queues
from models.case import CHANNEL_LABELS, KIND_LABELS, Channel, Kind
from models.workflow import LABELS, Status

log = logging.getLogger(__name__)

# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")
HEADER = ["受理编号", "渠道", "类别", "标题", "承办科室", "状态", "收到日期", "期限", "答复日期"]
BATCH_ROWS = 1000
CHUNK_CHARS = 16384


def neutralize(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def case_columns(fence_unit_id, f):
    """Plain columns and the unit's name, never ORM objects: nothing is kept per row and nothing
    is lazily loaded, so the rows do not need the request's session."""
    stmt = select(Case.number, Case.channel, Case.kind, Case.title, Unit.name, Case.status,
                  Case.received_on, Case.due_on, Case.replied_on,
                  ).outerjoin(Unit, Unit.id == Case.unit_id)
    return queues.filtered(queues.fenced(stmt, fence_unit_id), f).order_by(Case.due_on, Case.id)


def case_row(row):
    number, channel, kind, title, unit_name, status, received_on, due_on, replied_on = row
    return [
        number,
        CHANNEL_LABELS[Channel(channel)],
        KIND_LABELS[Kind(kind)],
        title,
        unit_name or "",
        LABELS[Status(status)],
        received_on.isoformat(),
        due_on.isoformat() if due_on else "",
        replied_on.isoformat() if replied_on else "",
    ]


def case_source(engine, fence_unit_id, f):
    """Yield the CSV text (UTF-8 with BOM so that Excel reads Chinese) some 16 KB at a time.

    The generator opens its own connection, because a streamed body is produced after the view
    has returned and the request's session may be gone by then; the rows come through a
    server-side cursor (PostgreSQL) in batches, so memory does not grow with the row count."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(HEADER)
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=BATCH_ROWS).execute(
            case_columns(fence_unit_id, f))
        for row in result:
            writer.writerow([neutralize(v) for v in case_row(row)])
            if buffer.tell() > CHUNK_CHARS:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()


class CsvStream:
    """The response body: the first chunk, made while the view runs (so a failing query is the
    app's own error page, with its headers, not the server's bare 500), then the rest. close()
    ends the query if the client goes away early."""

    def __init__(self, source):
        self._source = source
        self._first = next(source)

    def __iter__(self):
        yield self._first
        try:
            yield from self._source
        except Exception:
            # Headers are sent already; the server drops the connection, so the client sees an
            # incomplete download rather than a file that silently lacks rows.
            log.exception("case export failed mid-stream")
            raise

    def close(self):
        self._source.close()


def stream_cases_csv(engine, fence_unit_id, f):
    return CsvStream(case_source(engine, fence_unit_id, f))
