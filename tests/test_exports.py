"""Downloads: the case list as CSV (streamed, bounded memory), questionnaire results as XLSX,
invitation lists uploaded as CSV in the encodings Excel writes, the self-assessment report."""

import csv
import io
import tracemalloc

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, select

from models import Case, all_topics, db, queues
from portal.services import export, handling
from tests.appraisal_helpers import answer_form, create_questionnaire, invitations
from tests.factories import NOW, login, make_case, staff, unit
from tests.http_client import Browserish, hidden
from tests.live import LiveServer

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
    source = export.case_source(db.engine, None, queues.CaseFilter())
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
