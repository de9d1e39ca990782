"""Questionnaire results for download: CSV (UTF-8 with BOM, safe to open in a spreadsheet) and
XLSX with rates and scores written as numbers with number formats."""

import csv
import io

from openpyxl import Workbook

from portal.downloads.cases_csv import neutralize


class Rate(float):
    """A share between 0 and 1: "75.0%" in a CSV, a number formatted 0.0% in a workbook."""

    text = "{:.1%}"
    number_format = "0.0%"


class Score(float):
    text = "{:.1f}"
    number_format = "0.00"


def _figure(kind, value):
    return "" if value is None else kind(value)


def results_rows(table, topics):
    header = ["排名", "科室", "有效答卷", "满意", "基本满意", "不满意", "不了解", "满意率", "综合得分"]
    header += [f"{t.name}满意率" for t in topics]
    rows = [header]
    for r in table:
        o = r.overall
        row = [r.rank or "", r.unit_name, o.answers]
        if r.shown:
            row += [o.satisfied, o.basically, o.unsatisfied, o.dont_know, _figure(Rate, r.rate),
                    _figure(Score, r.score)]
            row += [_figure(Rate, r.by_topic[t.id].satisfaction_rate()) for t in topics]
        else:
            row += ["答卷不足，不公布"] + [""] * (5 + len(topics))
        rows.append(row)
    return rows


def _as_text(value):
    return value.text.format(value) if isinstance(value, Rate | Score) else value


def results_csv(table, topics):
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    for row in results_rows(table, topics):
        writer.writerow([neutralize(_as_text(v)) for v in row])
    return out.getvalue().encode()


def results_xlsx(table, topics, title):
    book = Workbook()
    sheet = book.active
    sheet.title = "结果"
    sheet.append([title])
    for row in results_rows(table, topics):
        sheet.append([float(v) if isinstance(v, Rate | Score) else
                      neutralize(v) if isinstance(v, str) else v for v in row])
        for cell, value in zip(sheet[sheet.max_row], row, strict=True):
            if isinstance(value, Rate | Score):
                cell.number_format = value.number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
