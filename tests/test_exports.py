"""Downloads: the case list as CSV (streamed, bounded memory), questionnaire results as XLSX,
invitation lists uploaded as CSV in the encodings Excel writes, the self-assessment report."""

import csv
import io
import tracemalloc
from datetime import date

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook
from sqlalchemy import insert, select

from models import Case, Problem, SelfReport, WorkCalendar, all_topics, db, queues
from portal.downloads import cases_csv
from portal.services import handling
from portal.services.clock import local_date
from tests.appraisal_helpers import answer_form, create_questionnaire, invitations
from tests.factories import NOW, commitment_falls_due, login, make_case, staff, unit
from tests.http_client import Browserish, hidden
from tests.live import LiveServer
from tests.test_campaign import SECTIONS, make_land_data

HEADER = ["受理编号", "渠道", "类别", "标题", "承办科室", "状态", "收到日期", "期限", "答复日期"]


def parse_csv(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.headers["Content-Type"].startswith("text/csv")
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def assigned_case(title, unit_code="land"):
    case, _code = make_case(title=title, target_unit_id=unit(unit_code).id)
    handling.accept_case(case, actor=staff("office"), now=NOW)
    handling.assign_case(case, actor=staff("office"), unit_id=unit(unit_code).id, now=NOW)
    return case


def test_case_csv_for_the_office_lists_every_case_with_its_unit(app, ctx):
    land = assigned_case("=HYPERLINK(\"http://x\",\"点我\")")
    other = assigned_case("编制科的事项", "compilation")
    waiting, _ = make_case(title="-2+3 尚未受理", channel="web", kind="suggestion")
    office = login(app.test_client(), app, "office")
    rows = parse_csv(office.get("/staff/cases.csv"))
    assert rows[0] == HEADER
    # Ordered by deadline then id: the acceptance deadline (two working days) comes first.
    assert rows[1:] == [
        [waiting.number, "网站信箱", "建议", "'-2+3 尚未受理", "",
         "待受理", "2026-07-01", "2026-07-03", ""],
        [land.number, "网站信箱", "投诉", "'=HYPERLINK(\"http://x\",\"点我\")", "用地规划科",
         "已交办", "2026-07-01", "2026-07-22", ""],
        [other.number, "网站信箱", "投诉", "编制科的事项", "规划编制科",
         "已交办", "2026-07-01", "2026-07-22", ""],
    ]


def test_case_csv_for_a_unit_leader_holds_only_that_units_cases(app, ctx):
    mine = assigned_case("用地科的事项")
    assigned_case("编制科的事项", "compilation")
    lead = login(app.test_client(), app, "land_lead")
    rows = parse_csv(lead.get("/staff/cases.csv"))
    assert rows == [HEADER, [mine.number, "网站信箱", "投诉", "用地科的事项", "用地规划科",
                             "已交办", "2026-07-01", "2026-07-22", ""]]
    # A filter that matches nothing still gives the header.
    assert parse_csv(lead.get("/staff/cases.csv?status=closed")) == [HEADER]


def test_case_csv_headers_carry_the_security_headers(app, ctx):
    assigned_case("有承办科室的事项")
    response = login(app.test_client(), app, "office").get("/staff/cases.csv")
    assert response.headers["Content-Disposition"] == "attachment; filename=cases.csv"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response.headers


def bulk_cases(n, start=0):
    """n cases straight into the table (the intake service would take minutes for 20 000)."""
    template = db.session.scalars(select(Case)).first()
    land = unit("land").id
    skip = {"id", "number", "query_code_hash"}
    base = {c.key: getattr(template, c.key) for c in Case.__table__.columns if c.key not in skip}
    base.update(unit_id=land, status="assigned")
    rows = [dict(base, number=f"BX{start + i:010d}", query_code_hash=f"h{start + i}",
                 title=f"批量事项 {start + i} " + "很长的标题文字" * 8) for i in range(n)]
    for i in range(0, n, 2000):
        db.session.execute(insert(Case), rows[i:i + 2000])
    db.session.commit()


def export_peak(n_lines):
    """Peak memory (bytes) while streaming the export of every case, and the lines it gave."""
    source = cases_csv.case_source(db.engine, None, queues.CaseFilter())
    tracemalloc.start()
    lines = 0
    for chunk in source:
        lines += chunk.count("\n")
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert lines == n_lines
    return peak


def test_case_csv_streams_in_bounded_memory(app, ctx):
    make_case()
    bulk_cases(2000)
    small = export_peak(2002)
    bulk_cases(18000, start=2000)
    large = export_peak(20002)
    # Ten times the rows must not take anything like ten times the memory: the rows are read
    # in batches through a cursor and written out as they come.
    assert large < small * 2, (small, large)


def test_case_csv_over_a_real_server(app, ctx):
    """Through a real WSGI server the body is produced after the view has returned, once the
    request's database session is gone: the rows must not depend on it."""
    case = assigned_case("经真实服务器导出")
    with LiveServer(app) as server:
        client = Browserish(server.url)
        _status, page = client.get("/staff/login")
        form = {"username": "office", "password": app.config["DEMO_PASSWORDS"]["office"]}
        if hidden(page, "csrf_token"):
            form["csrf_token"] = hidden(page, "csrf_token")
        assert client.post("/staff/login", form)[0] == 302
        status, text = client.get("/staff/cases.csv")
    assert status == 200, text[:300]
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [HEADER, [case.number, "网站信箱", "投诉", "经真实服务器导出", "用地规划科",
                             "已交办", "2026-07-01", "2026-07-22", ""]]


# --- Questionnaire results as XLSX: numbers with number formats, not text ---------------------

def answered_questionnaire(app):
    """Five answers: land-use planning 2 satisfied, 1 basically, 1 unsatisfied, 1 don't know
    (rate 3/4, score (200 + 80) / 4 = 70); the information centre satisfied five times."""
    office, q = create_questionnaire(app)
    for name in ("赵一", "钱二", "孙三", "李四", "周五"):
        office.post(f"/staff/appraisal/{q.id}/invite", data={"name": name, "group": "supervisor"})
    office.post(f"/staff/appraisal/{q.id}/state/open")
    land, info = unit("land"), unit("info")
    values = ["satisfied", "satisfied", "basically_satisfied", "unsatisfied", "dont_know"]
    for person, value in zip(invitations(q), values, strict=True):
        page = app.test_client().post(f"/q/{person.token}", data=answer_form(
            q, {land.id: value, info.id: "satisfied"}, per_topic={land.id: value}))
        assert page.status_code == 200
    return office, q


def test_results_xlsx_holds_rates_and_scores_as_formatted_numbers(app, ctx):
    office, q = answered_questionnaire(app)
    response = office.get(f"/staff/appraisal/{q.id}/results.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=3)}
    land, info = rows["用地规划科"], rows["信息中心"]
    assert [c.value for c in land[2:7]] == [5, 2, 1, 1, 1]
    assert type(land[7].value) is float
    topics = len(all_topics())
    # Per topic, the centre got only "don't know": no rate, an empty cell.
    for cells, rate, score, by_topic in ((land, 0.75, 70.0, 0.75), (info, 1.0, 100.0, None)):
        # openpyxl reads 1.0 and 70.0 back as ints: numbers either way, never text.
        assert type(cells[7].value) in (int, float) and cells[7].value == rate
        assert cells[7].number_format == "0.0%"
        assert type(cells[8].value) in (int, float) and cells[8].value == score
        assert cells[8].number_format == "0.00"
        assert len(cells) == 9 + topics
        assert [c.value for c in cells[9:]] == [by_topic] * topics
    assert {c.number_format for c in land[9:]} == {"0.0%"}
    # Only "don't know" for surveying: counted, but no rate nor score, empty cells.
    assert [c.value for c in rows["测绘管理科"][2:9]] == [5, 0, 0, 0, 5, None, None]
    # The CSV keeps its text form.
    text = office.get(f"/staff/appraisal/{q.id}/results.csv").get_data(as_text=True)
    assert "用地规划科,5,2,1,1,1,75.0%,70.0" in text


# --- Invitation lists in the encodings Excel writes -------------------------------------------

INVITATION_LIST = "姓名,身份,单位\n李四,行风监督员,政协\n周五,评议代表,街道\n𠮷田,评议代表,镕基社区\n"


def upload(office, q, data):
    return office.post(f"/staff/appraisal/{q.id}/upload", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), "名单.csv")})


@pytest.mark.parametrize("encoded", [
    INVITATION_LIST.encode("utf-8"),
    INVITATION_LIST.encode("utf-8-sig"),
    INVITATION_LIST.replace("\n", "\r\n").encode("gb18030"),  # Excel on Chinese Windows
], ids=["utf-8", "utf-8-bom", "gb18030"])
def test_invitation_csv_is_read_in_utf8_and_gb18030(app, ctx, encoded):
    office, q = create_questionnaire(app)
    response = upload(office, q, encoded)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert [(i.name, i.group, i.organisation) for i in invitations(q)] == [
        ("李四", "supervisor", "政协"), ("周五", "representative", "街道"),
        ("𠮷田", "representative", "镕基社区")]


def test_a_gbk_file_from_excel_is_read_as_well(app, ctx):
    office, q = create_questionnaire(app)
    response = upload(office, q, "姓名,身份,单位\r\n王五,评议代表,人大\r\n".encode("gbk"))
    assert response.status_code == 302
    assert [(i.name, i.organisation) for i in invitations(q)] == [("王五", "人大")]


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
    "姓名,身份,单位\n李四,评议代表,政协\n".encode("utf-16"),
    b"\xff\xfe\xfd\x80\x81",
    b"",
], ids=["png", "utf-16", "undecodable", "empty"])
def test_a_binary_file_is_still_refused_with_the_message(app, ctx, data):
    office, q = create_questionnaire(app)
    response = upload(office, q, data)
    assert response.status_code == 400
    assert "请上传 CSV 文件（UTF-8 或 GB18030 编码，不超过 1 MB）。" in response.get_data(as_text=True)
    assert invitations(q) == []


# --- The self-assessment report as a Word file: A4, tables, the ledger, a sign-off ------------

def table_rows(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def tables_by_header(doc):
    return {tuple(table_rows(t)[0]): table_rows(t)[1:] for t in doc.tables}


def test_report_docx_is_a4_with_tables_problems_and_sign_off(app, ctx):
    office, (_on_time, late, _waiting) = make_land_data(app)
    lead = login(app.test_client(), app, "land_lead")
    for data in (
        {"source": "case", "case_number": late.number, "description": "咨询答复超期",
         "measures": "建立超期预警", "responsible": "陈静", "committed_on": "2099-08-01"},
        {"source": "self_inspection", "description": "窗口导办力量不足\n高峰时段无人引导",
         "measures": "增设导办岗位", "responsible": "刘洋", "committed_on": "2099-12-31"},
    ):
        assert lead.post("/staff/ledger", data={"unit": str(unit("land").id), **data}
                         ).status_code == 302
    first, second = db.session.scalars(select(Problem).order_by(Problem.id)).all()
    commitment_falls_due(first.id, date(2026, 8, 1))
    lead.post(f"/staff/ledger/{second.id}", data={"progress": "in_progress", "note": "已部署"})
    lead.post(f"/staff/reports/{unit('land').id}", data=SECTIONS | {"submit_now": "y"})
    report = db.session.scalars(select(SelfReport)).one()
    assert report.status == "submitted"

    response = office.get(f"/staff/reports/{unit('land').id}.docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.data))
    for section in doc.sections:  # A4 exactly as Word stores it: 11906 x 16838 twips
        assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
        assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
        assert section.orientation == WD_ORIENT.PORTRAIT
        margins = [section.top_margin, section.bottom_margin, section.left_margin,
                   section.right_margin]
        assert [round(m.cm, 1) for m in margins] == [3.7, 3.5, 2.8, 2.6]

    tables = tables_by_header(doc)
    cal = WorkCalendar({})
    days = [cal.working_days_between(c.received_on, c.replied_on)
            for c in db.session.scalars(select(Case).where(Case.replied_on.is_not(None)))]
    assert tables[("项目", "件数")] == [
        ["收到群众反映", "3"], ["已答复", "2"], ["其中按期答复", "1"], ["尚未答复", "1"],
        ["其中超期", "1"], ["平均答复用时（工作日）", f"{round(sum(days) / 2, 1)}"]]
    assert tables[("类别", "件数")] == [["投诉", "1"], ["举报", "0"], ["建议", "1"],
                                       ["咨询", "1"], ["表扬", "0"]]
    assert tables[("渠道", "件数")] == [["网站信箱", "2"], ["投诉电话", "1"], ["来信", "0"],
                                       ["座谈会", "0"], ["走访来访", "0"], ["问卷", "0"],
                                       ["明查暗访", "0"], ["合作平台接口", "0"]]
    assert tables[("群众评价", "件数")] == [["满意", "1"], ["基本满意", "0"], ["不满意", "1"],
                                         ["未评价", "0"]]
    topic_rows = [[t.name, "3", "50.0%", "50.0"] for t in all_topics()]
    assert tables[("评议内容", "有效答卷", "满意率", "综合得分")] == [
        *topic_rows, ["总体评价", "3", "50.0%", "50.0"]]
    assert tables[("序号", "问题描述", "整改措施", "责任人", "承诺时限", "进展")] == [
        ["1", "咨询答复超期", "建立超期预警", "陈静", "2026-08-01", "未开始（已超过承诺时限）"],
        ["2", "窗口导办力量不足\n高峰时段无人引导", "增设导办岗位", "刘洋", "2099-12-31", "整改中"],
    ]
    # Each table's first row repeats as a header on a new page.
    for table in doc.tables:
        assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")

    text = "\n".join(p.text for p in doc.paragraphs)
    assert "2026年度民主评议问卷" in text
    assert "召开动员会两次。" in text and "增设导办岗位。" in text
    signed = local_date(report.submitted_at)
    sign_off = [p.text for p in doc.paragraphs][-3:]
    assert sign_off == ["填报科室（盖章）：用地规划科", "科室负责人（签字）：用地规划科 陈静",
                        f"日期：{signed.year}年{signed.month}月{signed.day}日"]


def test_an_unsubmitted_report_leaves_the_date_to_fill_in(app, ctx):
    office = login(app.test_client(), app, "office")
    response = office.get(f"/staff/reports/{unit('compilation').id}.docx")
    doc = Document(io.BytesIO(response.data))
    assert [p.text for p in doc.paragraphs][-3:] == [
        "填报科室（盖章）：规划编制科", "科室负责人（签字）：规划编制科 李强",
        "日期：        年    月    日"]
    problems = tables_by_header(doc)[("序号", "问题描述", "整改措施", "责任人", "承诺时限", "进展")]
    assert problems == [["", "本年度台账中没有整改问题。", "", "", "", ""]]
