"""Downloads: the case list as CSV (streamed, bounded memory), questionnaire results as XLSX,
invitation lists uploaded as CSV in the encodings Excel writes, the self-assessment report."""

import csv
import io
import tracemalloc

from sqlalchemy import insert, select

from models import Case, db, queues
from portal.services import export, handling
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
