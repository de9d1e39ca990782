"""Reading cases back through the Open311 API over real HTTP, in JSON and XML: public fields
only, never a misconduct report, the spec's filters and its refusals of bad dates and ids."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from models import Case, db
from portal.services import handling
from tests.factories import make_case, staff, unit
from tests.open311_client import BASE, CONTENT, errors_json, errors_xml, get, production_like_server


@pytest.fixture
def live(app):
    with production_like_server() as server:
        yield server


def _cases(ctx):
    """A filed complaint, one accepted and assigned to land, one refused, and a report."""
    office = staff("office")
    filed, _c = make_case(name="李四", phone="13912345678", email="lisi@example.com")
    assigned, _c = make_case(now=datetime(2026, 7, 2, 2, 0, tzinfo=UTC), topic_id=filed.topic_id)
    handling.accept_case(assigned, actor=office, unit_id=unit("land").id,
                         now=datetime(2026, 7, 2, 3, 0, tzinfo=UTC))
    refused, _c = make_case(now=datetime(2026, 7, 3, 2, 0, tzinfo=UTC), kind="consultation")
    handling.refuse_case(refused, actor=office, reason="不属于本局职责",
                         now=datetime(2026, 7, 3, 4, 0, tzinfo=UTC))
    report, _c = make_case(now=datetime(2026, 7, 4, 2, 0, tzinfo=UTC), kind="report")
    return filed.number, assigned.number, refused.number, report.number


def due_on(number):
    db.session.remove()
    return db.session.scalars(select(Case.due_on).where(Case.number == number)).one()


RANGE = "start_date=2026-06-15T00:00:00Z&end_date=2026-08-01T00:00:00%2B08:00"


def test_the_spec_example_query_and_public_fields_only(live, ctx):
    filed, assigned, refused, report = _cases(ctx)
    listed = get(live, f"{BASE}/requests.json?{RANGE}").json()
    assert [r["service_request_id"] for r in listed] == [refused, assigned, filed]
    assert listed[1] == {
        "service_request_id": assigned, "status": "open", "status_notes": "已受理，正在办理",
        "service_name": "投诉：工作作风", "service_code": "complaint-style",
        "agency_responsible": "用地规划科",
        "requested_datetime": "2026-07-02T10:00:00+08:00",
        "updated_datetime": "2026-07-02T11:00:00+08:00",
        "expected_datetime": f"{due_on(assigned).isoformat()}T23:59:59+08:00"}
    assert (listed[0]["status"], listed[0]["expected_datetime"]) == ("closed", None)
    for text in ("李四", "13912345678", "lisi@example.com", CONTENT, "窗口办事排队太久",
                 "不属于本局职责", "张三"):
        assert text not in get(live, f"{BASE}/requests.json?{RANGE}").text
        assert text not in get(live, f"{BASE}/requests.xml?{RANGE}").text
    # The spec's sample: status and jurisdiction in the query.
    root = get(live, f"{BASE}/requests.xml?{RANGE}&status=open&jurisdiction_id=127.0.0.1").xml()
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [assigned, filed]
    assert root.find("request/description") is None  # published letters come with issue 11
    closed = get(live, f"{BASE}/requests.json?{RANGE}&status=closed").json()
    assert [r["service_request_id"] for r in closed] == [refused]


def test_filters_by_number_and_service_code(live, ctx):
    filed, assigned, refused, report = _cases(ctx)
    by_id = get(live, f"{BASE}/requests.json?service_request_id={filed},{report},PY0,{refused}")
    assert sorted(r["service_request_id"] for r in by_id.json()) == sorted([filed, refused])
    by_code = get(live, f"{BASE}/requests.json?{RANGE}&service_code=consultation-style,x")
    assert [r["service_request_id"] for r in by_code.json()] == [refused]
    one = get(live, f"{BASE}/requests/{assigned}.xml").xml()
    assert one.findtext("request/agency_responsible") == "用地规划科"
    assert get(live, f"{BASE}/requests/{filed}.json").json()[0]["status_notes"] == "已收到，等待受理"


@pytest.mark.parametrize("fmt,read", [("json", errors_json), ("xml", errors_xml)])
def test_reports_and_unknown_ids_are_404(live, ctx, fmt, read):
    _f, _a, _r, report = _cases(ctx)
    # A report answers exactly as a number that was never given: its existence stays hidden.
    for number in (report, "PY2026999999"):
        answer = get(live, f"{BASE}/requests/{number}.{fmt}")
        assert (answer.status, read(answer)) == (
            404, [(404, f"service_request_id 不存在：{number}")]), number
    nul = get(live, f"{BASE}/requests/%00.{fmt}")
    assert (nul.status, read(nul)) == (404, [(404, "请求有误，请检查后重试。")])


@pytest.mark.parametrize("query,description", [
    ("start_date=2026-07-01", "start_date 须为 W3C 格式的日期时间并带时区，如 2026-07-01T00:00:00Z。"),
    ("end_date=2026-07-01T00:00:00", "end_date 须为 W3C 格式的日期时间并带时区，如 2026-07-01T00:00:00Z。"),
    ("start_date=2026-13-01T00:00:00Z", "start_date 须为 W3C 格式的日期时间并带时区，如 2026-07-01T00:00:00Z。"),
    ("end_date=0001-01-01T00:00:00%2B01:00",
     "end_date 须为 W3C 格式的日期时间并带时区，如 2026-07-01T00:00:00Z。"),
    ("start_date=yesterday", "start_date 须为 W3C 格式的日期时间并带时区，如 2026-07-01T00:00:00Z。"),
    ("start_date=2026-01-01T00:00:00Z&end_date=2026-04-02T00:00:00Z",
     "start_date 与 end_date 相隔不能超过 90 天。"),
    ("start_date=2026-07-02T00:00:00Z&end_date=2026-07-01T00:00:00Z",
     "end_date 不能早于 start_date。"),
    ("status=pending", "status 只能是 open 或 closed。"),
    ("service_request_id=" + ",".join(["PY1"] * 201), "service_request_id 一次最多 200 个。"),
])
def test_bad_query_parameters_are_400(live, query, description):
    for fmt, read in (("json", errors_json), ("xml", errors_xml)):
        answer = get(live, f"{BASE}/requests.{fmt}?{query}")
        assert (answer.status, read(answer)) == (400, [(400, description)])


def test_ninety_days_exactly_is_allowed(live, ctx):
    filed, assigned, refused, _report = _cases(ctx)
    answer = get(live, f"{BASE}/requests.json?start_date=2026-06-01T00:00:00Z"
                       "&end_date=2026-08-30T00:00:00Z")
    assert answer.status == 200
    assert [r["service_request_id"] for r in answer.json()] == [refused, assigned, filed]
