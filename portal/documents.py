"""Files for download: questionnaire results as XLSX and CSV, self-assessment reports as DOCX."""

import csv
import io

from docx import Document
from openpyxl import Workbook

from models.appraisal import SCALE_LABELS, Scale
from models.case import CHANNEL_LABELS, KIND_LABELS, Channel, Kind
from models.rectification import PROGRESS_LABELS, Progress
from models.reply import RATING_LABELS, RatingValue
from models.report import SECTION_LABELS, SECTIONS

from .services.export import neutralize


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


def _figure_lines(figures):
    c = figures["cases"]
    lines = [
        f"统计期间：{figures['period'][0]} 至 {figures['period'][1]}",
        f"收到群众反映 {c['total']} 件，已答复 {c['replied']} 件，其中按期答复 {c['replied_on_time']} 件；"
        f"尚未答复 {c['unanswered']} 件，其中超期 {c['overdue']} 件。",
        "平均答复用时："
        + ("—" if c["avg_working_days"] is None else f"{c['avg_working_days']} 个工作日"),
        "按类别：" + "，".join(f"{KIND_LABELS[Kind(k)]} {n}" for k, n in c["by_kind"].items()),
        "按渠道：" + "，".join(f"{CHANNEL_LABELS[Channel(k)]} {n}"
                             for k, n in c["by_channel"].items()),
        "群众评价：" + "，".join(
            f"{RATING_LABELS[RatingValue(k)] if k != 'none' else '未评价'} {n}"
            for k, n in c["ratings"].items()),
    ]
    p = figures["problems"]
    lines.append(f"整改问题 {p['total']} 个：" + "，".join(
        f"{PROGRESS_LABELS[Progress(k)]} {n}" for k, n in p["by_progress"].items())
        + f"；超过承诺时限 {p['overdue']} 个。")
    for q in figures["questionnaires"]:
        for row in q["rows"]:
            name = row["topic"] or "总体评价"
            rate = "答卷不足" if row["rate"] is None else f"满意率 {row['rate']}%，得分 {row['score']}"
            lines.append(f"{q['title']} · {name}：{rate}（{row['answers']} 份）")
    return lines


def report_docx(report, figures, bureau):
    doc = Document()
    doc.add_heading(f"{bureau}{report.unit.name}{report.campaign.year}年度民主评议自评报告", 0)
    doc.add_heading("数据概况（由系统根据办理和问卷数据生成）", level=1)
    for line in _figure_lines(figures):
        doc.add_paragraph(line)
    for name in SECTIONS:
        doc.add_heading(SECTION_LABELS[name], level=1)
        for para in (getattr(report, name) or "").split("\n"):
            doc.add_paragraph(para)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


SCALE_HEADERS = [SCALE_LABELS[s] for s in Scale]
