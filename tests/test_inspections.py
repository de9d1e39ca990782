"""Inspection and hearing records (issue 11 point 5): the office records findings per section and
turns each into a ledger problem or a routed case; supervisors report by code, without signing in."""


from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from models import Case, DomainError, Problem, db
from models.inspection import Finding, Inspection
from tests.appconfig import decide_on_stale_copies
from tests.factories import count_cases, login, staff, topic, unit

# The ledger refuses a commitment dated before today (issue 11 point 6): a date ahead of the
# real clock, which these pages run on.
COMMITTED = (date.today() + timedelta(days=60)).isoformat()

PLACE = "政务服务中心二楼规划窗口"
LAND_TEXT = "窗口工作人员上班时间玩手机，群众排队二十分钟无人理会。"
COMP_TEXT = "编制科公示栏内容过期，仍贴着去年的规划公示。"


def office(app):
    return login(app.test_client(), app, "office")


def record_data(**overrides):
    data = {"kind": "forum", "held_on": "2026-06-30", "place": PLACE,
            "participants": "人大代表 李四\n社区主任 王五",
            f"finding_{unit('land').id}": LAND_TEXT,
            f"finding_{unit('compilation').id}": COMP_TEXT}
    data.update(overrides)
    return data


def make_record(app):
    response = office(app).post("/staff/inspections/new", data=record_data())
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    return db.session.scalars(select(Inspection)).one()


def land_finding(record):
    return next(f for f in record.findings if f.unit_id == unit("land").id)


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_office_records_a_meeting_with_findings_per_section(app, ctx):
    client = office(app)
    assert client.get("/staff/inspections/new").status_code == 200
    response = client.post("/staff/inspections/new", data=record_data())
    record = db.session.scalars(select(Inspection)).one()
    assert response.headers["Location"] == f"/staff/inspections/{record.id}"
    assert (record.kind, str(record.held_on), record.place) == ("forum", "2026-06-30", PLACE)
    assert record.participants == "人大代表 李四\n社区主任 王五"
    assert record.recorded_by.username == "office" and record.supervisor_code_id is None
    assert sorted((f.unit.code, f.text, f.outcome) for f in record.findings) == [
        ("compilation", COMP_TEXT, None), ("land", LAND_TEXT, None)]
    page = client.get(f"/staff/inspections/{record.id}").get_data(as_text=True)
    assert "已登记检查记录，共 2 条发现。" in page and LAND_TEXT in page
    listing = client.get("/staff/inspections").get_data(as_text=True)
    assert "座谈会" in listing and PLACE in listing


def test_finding_becomes_a_problem_on_the_sections_ledger(app, ctx):
    record = make_record(app)
    finding = land_finding(record)
    client = office(app)
    data = {"measures": "窗口人员上岗期间手机统一存放。", "responsible": "赵六",
            "committed_on": COMMITTED}
    response = client.post(f"/staff/inspections/findings/{finding.id}/problem", data=data)
    assert response.status_code == 302
    problem = db.session.scalars(select(Problem)).one()
    assert (problem.unit_id, problem.source, problem.description) == (
        unit("land").id, "inspection", LAND_TEXT)
    assert (problem.measures, problem.responsible, str(problem.committed_on)) == (
        "窗口人员上岗期间手机统一存放。", "赵六", COMMITTED)
    db.session.expire_all()
    finding = db.session.get(Finding, finding.id)
    assert (finding.outcome, finding.problem_id, finding.case_id) == ("problem", problem.id, None)
    page = client.get(f"/staff/inspections/{record.id}").get_data(as_text=True)
    assert "已列入用地规划科的整改台账。" in page and f"#problem-{problem.id}" in page
    ledger = client.get("/staff/ledger").get_data(as_text=True)
    assert f'/staff/inspections/{record.id}#finding-{finding.id}' in ledger
    assert "检查记录：座谈会 2026-06-30" in ledger
    again = client.post(f"/staff/inspections/findings/{finding.id}/problem", data=data)
    assert again.status_code == 409 and "这条发现已经处理过" in again.get_data(as_text=True)
    assert count(Problem) == 1


def test_finding_becomes_a_case_filed_accepted_and_assigned_to_the_section(app, ctx):
    record = make_record(app)
    finding = land_finding(record)
    client = office(app)
    data = {"kind": "complaint", "topic": str(topic("style").id), "title": "窗口人员上班玩手机"}
    response = client.post(f"/staff/inspections/findings/{finding.id}/case", data=data)
    assert response.status_code == 302
    case = db.session.scalars(select(Case)).one()
    assert (case.channel, case.kind, case.title, case.content) == (
        "inspection", "complaint", "窗口人员上班玩手机", LAND_TEXT)
    assert (case.status, case.unit_id, case.target_unit_id) == (
        "assigned", unit("land").id, unit("land").id)
    assert [e.action for e in case.events] == ["submitted", "accepted", "assigned"]
    assert case.due_on is not None and case.created_by_id == staff("office").id
    db.session.expire_all()
    finding = db.session.get(Finding, finding.id)
    assert (finding.outcome, finding.case_id, finding.problem_id) == ("case", case.id, None)
    page = client.get(f"/staff/inspections/{record.id}").get_data(as_text=True)
    assert f"已转为事项 {case.number}，已受理并交办至用地规划科。" in page
    case_page = client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert f"/staff/inspections/{record.id}#finding-{finding.id}" in case_page
    # The section sees where the case came from, without a link to the office's record.
    lead_page = login(app.test_client(), app, "land_lead").get(
        f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "检查记录：座谈会 2026-06-30" in lead_page
    assert f"/staff/inspections/{record.id}" not in lead_page
    again = client.post(f"/staff/inspections/findings/{finding.id}/case", data=data)
    assert again.status_code == 409 and count_cases() == 1
    problem = client.post(f"/staff/inspections/findings/{finding.id}/problem", data={
        "measures": "整改", "responsible": "赵六", "committed_on": COMMITTED})
    assert problem.status_code == 409 and count(Problem) == 0


def test_report_of_misconduct_is_never_assigned_to_the_section_it_accuses(app, ctx):
    finding = land_finding(make_record(app))
    client = office(app)
    response = client.post(f"/staff/inspections/findings/{finding.id}/case", data={
        "kind": "report", "topic": str(topic("style").id), "title": "窗口人员索要好处费"})
    assert response.status_code == 302
    case = db.session.scalars(select(Case)).one()
    assert (case.status, case.unit_id, case.target_unit_id) == ("accepted", None, unit("land").id)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "举报件不交办给被举报的用地规划科" in page


def test_bad_record_input_is_refused_with_a_message_and_kept(app, ctx):
    client = office(app)
    cases = [
        ({"held_on": "2099-01-05"}, "日期不能晚于今天。"),
        ({"held_on": "2025-06-30"}, "日期应在本年度评议活动内（2026 年）。"),
        ({"held_on": "2026-13-45"}, "不是有效的日期值。"),
        ({f"finding_{unit('land').id}": "", f"finding_{unit('compilation').id}": " "},
         "请至少填写一个科室的发现。"),
        ({"place": "二楼\x00窗口"}, "含有不允许的控制字符"),
        ({"place": "楼" * 201}, "不超过 200 个字。"),
        ({f"finding_{unit('land').id}": "长" * 2001}, "不超过 2000 个字。"),
        ({"kind": "party"}, "不是有效的选择。"),
    ]
    for overrides, message in cases:
        response = client.post("/staff/inspections/new", data=record_data(**overrides))
        html = response.get_data(as_text=True)
        assert response.status_code == 400, overrides
        assert message in html, (overrides, html[:3000])
        assert "人大代表 李四" in html
    assert count(Inspection) == 0
    assert client.post("/staff/inspections/findings/999999/problem", data={}).status_code == 404
    assert client.get("/staff/inspections/999999").status_code == 404


def test_bad_finding_decisions_are_refused(app, ctx):
    record = make_record(app)
    finding = land_finding(record)
    client = office(app)
    url = f"/staff/inspections/findings/{finding.id}"
    bad = client.post(url + "/case", data={"kind": "praise", "topic": str(topic("style").id),
                                           "title": "窗口人员上班玩手机"})
    assert bad.status_code == 400
    assert '-kind-err">不是有效的选择。' in bad.get_data(as_text=True)
    forged = client.post(url + "/case", data={"kind": "complaint", "topic": "abc",
                                              "title": "窗口人员上班玩手机"})
    assert forged.status_code == 400 and "窗口人员上班玩手机" in forged.get_data(as_text=True)
    short = client.post(url + "/case", data={"kind": "complaint",
                                             "topic": str(topic("style").id), "title": "玩"})
    assert short.status_code == 400 and "标题应为 5 至 50 个字。" in short.get_data(as_text=True)
    no_date = client.post(url + "/problem", data={"measures": "存放手机", "responsible": "赵六",
                                                  "committed_on": "明天"})
    assert no_date.status_code == 400 and "存放手机" in no_date.get_data(as_text=True)
    assert count_cases() == 0 and count(Problem) == 0
    db.session.expire_all()
    assert db.session.get(Finding, finding.id).outcome is None


def test_only_the_office_and_the_administrator_keep_records(app, ctx):
    record = make_record(app)
    finding = land_finding(record)
    assert login(app.test_client(), app, "admin").get("/staff/inspections").status_code == 200
    for username in ("land_lead", "land_handler"):
        client = login(app.test_client(), app, username)
        for url in ("/staff/inspections", f"/staff/inspections/{record.id}",
                    "/staff/inspections/new", "/staff/supervisors"):
            assert client.get(url).status_code == 403, (username, url)
        post = client.post(f"/staff/inspections/findings/{finding.id}/problem", data={
            "measures": "整改", "responsible": "赵六", "committed_on": COMMITTED})
        assert post.status_code == 403
    anonymous = app.test_client().get("/staff/inspections")
    assert anonymous.status_code == 302 and "/staff/login" in anonymous.headers["Location"]
    assert count(Problem) == 0


def test_the_services_refuse_unit_staff(app, ctx):
    """The services ask the actor themselves: a view that forgot to would still be refused."""
    from models import current_campaign, utcnow
    from portal.services import inspections

    finding = land_finding(make_record(app))
    lead, now = staff("land_lead"), utcnow()
    refused = "只有评议办可以处理检查记录。"
    campaign = current_campaign(date(2026, 7, 1))
    with pytest.raises(DomainError, match=refused):
        inspections.record_inspection(campaign=campaign, kind="forum", held_on=date(2026, 6, 30),
                                      place=PLACE, participants="", findings={
                                          unit("land").id: LAND_TEXT}, actor=lead, now=now)
    with pytest.raises(DomainError, match=refused):
        inspections.finding_to_problem(finding=finding, measures="整改", responsible="赵六",
                                       committed_on=date.fromisoformat(COMMITTED), actor=lead,
                                       now=now)
    with pytest.raises(DomainError, match=refused):
        inspections.finding_to_case(finding=finding, kind="complaint", topic_id=topic("style").id,
                                    title="窗口人员上班玩手机", actor=lead, now=now)
    with pytest.raises(DomainError, match=refused):
        inspections.issue_code(campaign=campaign, name="钱七", organisation="", actor=lead, now=now)
    db.session.expire_all()
    assert (count(Inspection), count(Problem), count_cases()) == (1, 0, 0)
    assert db.session.get(Finding, finding.id).outcome is None


def test_a_finding_loaded_twice_is_decided_once(app, ctx):
    """The claim is made in the database, not on the copy each request loaded: two sessions
    that both saw the finding open make one case, and the other is told plainly."""
    from models import utcnow
    from portal.services import inspections

    finding_id = land_finding(make_record(app)).id

    def to_case(finding):
        inspections.finding_to_case(finding=finding, kind="complaint", topic_id=topic("style").id,
                                    title="窗口人员上班玩手机", actor=staff("office"), now=utcnow())
        return "case"

    def to_problem(finding):
        inspections.finding_to_problem(finding=finding, measures="整改", responsible="赵六",
                                       committed_on=date.fromisoformat(COMMITTED),
                                       actor=staff("office"), now=utcnow())
        return "problem"

    outcomes = decide_on_stale_copies(app, Finding, finding_id, [to_case, to_problem],
                                      fresh=lambda finding: finding.outcome is None)
    assert outcomes == ["case", "这条发现已经处理过，请刷新页面查看结果。"]
    db.session.expire_all()
    assert count_cases() == 1 and count(Problem) == 0
    assert db.session.get(Finding, finding_id).outcome == "case"


def test_simultaneous_decisions_on_one_finding_make_one_case(app, ctx):
    from tests.http_client import Browserish
    from tests.live import LiveServer
    from tests.test_races import _all_at_once

    finding = land_finding(make_record(app))
    form = {"kind": "complaint", "topic": str(topic("style").id), "title": "窗口人员上班玩手机"}
    with LiveServer(app) as server:
        clients = []
        for _ in range(6):
            client = Browserish(server.url, timeout=30)
            status, _html = client.post("/staff/login", {
                "username": "office", "password": app.config["DEMO_PASSWORDS"]["office"]})
            assert status == 302
            clients.append(client)
        results = _all_at_once(6, lambda i: clients[i].post(
            f"/staff/inspections/findings/{finding.id}/case", form))
    assert sorted(status for status, _html in results) == [302, 409, 409, 409, 409, 409]
    db.session.expire_all()
    assert count_cases() == 1
    assert db.session.get(Finding, finding.id).case_id == db.session.scalars(select(Case.id)).one()
