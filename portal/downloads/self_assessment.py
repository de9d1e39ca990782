"""The self-assessment report as a Word document: A4, figures in tables, the ledger's problems
listed, and a sign-off block."""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, Twips

from models.appraisal import SCALE_LABELS, Scale
from models.case import CHANNEL_LABELS, KIND_LABELS, Channel, Kind
from models.rectification import PROGRESS_LABELS, Progress
from models.reply import NO_RATING_LABEL, RATING_LABELS, RatingValue
from models.report import SECTION_LABELS, SECTIONS

# A4 as Word stores it (twips), and the margins of GB/T 9704 for official documents.
A4_TWIPS = (11906, 16838)
MARGINS_CM = {"top_margin": 3.7, "bottom_margin": 3.5, "left_margin": 2.8, "right_margin": 2.6}
BLANK_DATE = "        年    月    日"


def _a4(doc):
    for section in doc.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (Twips(t) for t in A4_TWIPS)
        for side, cm in MARGINS_CM.items():
            setattr(section, side, Cm(cm))
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    # Chinese text in SimSun wherever the reader has it, not the template's Japanese font.
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")


def _table(doc, header, rows):
    """A bordered table whose first row is a header, repeated at the top of each page."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    first = table.rows[0]
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    first._tr.get_or_add_trPr().append(flag)
    for cell, text in zip(first.cells, header, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = str(value)
    doc.add_paragraph()
    return table


def _dash(value, suffix=""):
    return "—" if value is None else f"{value}{suffix}"


def _figure_tables(doc, figures):
    c = figures["cases"]
    doc.add_paragraph(f"统计期间：{figures['period'][0]} 至 {figures['period'][1]}")
    _table(doc, ["项目", "件数"], [
        ["收到群众反映", c["total"]], ["已答复", c["replied"]],
        ["其中按期答复", c["replied_on_time"]], ["尚未答复", c["unanswered"]],
        ["其中超期", c["overdue"]], ["平均答复用时（工作日）", _dash(c["avg_working_days"])]])
    _table(doc, ["类别", "件数"], [[KIND_LABELS[Kind(k)], n] for k, n in c["by_kind"].items()])
    _table(doc, ["渠道", "件数"],
           [[CHANNEL_LABELS[Channel(k)], n] for k, n in c["by_channel"].items()])
    _table(doc, ["群众评价", "件数"], [
        [NO_RATING_LABEL if k == "none" else RATING_LABELS[RatingValue(k)], n]
        for k, n in c["ratings"].items()])
    for q in figures["questionnaires"]:
        doc.add_paragraph(f"问卷：{q['title']}")
        _table(doc, ["评议内容", "有效答卷", "满意率", "综合得分"], [
            [row["topic"] or "总体评价", row["answers"],
             "答卷不足" if row["rate"] is None else f"{row['rate']}%", _dash(row["score"])]
            for row in q["rows"]])


def _problem_table(doc, figures, problems, today):
    p = figures["problems"]
    doc.add_paragraph(f"整改问题 {p['total']} 个：" + "，".join(
        f"{PROGRESS_LABELS[Progress(k)]} {n}" for k, n in p["by_progress"].items())
        + f"；超过承诺时限 {p['overdue']} 个。")
    rows = [[i, x.description, x.measures, x.responsible, x.committed_on.isoformat(),
             PROGRESS_LABELS[Progress(x.progress)] + ("（已超过承诺时限）" if x.overdue(today) else "")]
            for i, x in enumerate(problems, start=1)]
    _table(doc, ["序号", "问题描述", "整改措施", "责任人", "承诺时限", "进展"],
           rows or [["", "本年度台账中没有整改问题。", "", "", "", ""]])


def report_docx(report, figures, bureau, *, problems, today, leader, signed_on):
    """The report on A4: the figures in tables, the ledger's problems one by one, the four
    narrative sections, and a block for the unit's seal, the leader's signature and the date."""
    doc = Document()
    _a4(doc)
    doc.add_heading(f"{bureau}{report.unit.name}{report.campaign.year}年度民主评议自评报告", 0)
    doc.add_heading("数据概况（由系统根据办理和问卷数据生成）", level=1)
    _figure_tables(doc, figures)
    doc.add_heading("整改台账", level=1)
    _problem_table(doc, figures, problems, today)
    for name in SECTIONS:
        doc.add_heading(SECTION_LABELS[name], level=1)
        for para in (getattr(report, name) or "").split("\n"):
            doc.add_paragraph(para)
    doc.add_paragraph()
    date = BLANK_DATE if signed_on is None else \
        f"{signed_on.year}年{signed_on.month}月{signed_on.day}日"
    for line in (f"填报科室（盖章）：{report.unit.name}", f"科室负责人（签字）：{leader}",
                 f"日期：{date}"):
        doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


SCALE_HEADERS = [SCALE_LABELS[s] for s in Scale]
