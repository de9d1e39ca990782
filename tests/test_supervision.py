"""Supervision (督办): the office urges a case (mail to the unit, one history event, a count on
the case); cases overdue past the configured working days go to the leadership group's list
and daily digest; the office's to-do holds pending extension requests."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import CaseEvent, DomainError, OutboxMessage, Status, db, utcnow
from models.deadlines import WorkCalendar
from models.supervision import escalation_cutoff
from portal.services import handling, mail, supervision
from portal.services.clock import local_date
from tests.factories import NOW, act, login, make_case, staff
from tests.test_board import drive
from tests.test_mail import Inbox, serve_smtp, subject


@pytest.fixture
def smtp(app):
    yield from serve_smtp(app, Inbox())


@pytest.fixture
def leadership(app, ctx):
    """The administrator account as a member of the leadership group, for one test (staff
    accounts are reference data and survive the table emptier)."""
    member = staff("admin")
    member.leadership = True
    db.session.commit()
    yield member
    member = staff("admin")
    member.leadership = False
    db.session.commit()


def _urge_events(case):
    return db.session.scalars(select(CaseEvent).where(
        CaseEvent.case_id == case.id, CaseEvent.action == "urged")).all()


def test_urging_mails_leader_and_handler_and_counts_on_the_case(app, ctx, smtp):
    case, _ = make_case()
    drive(case, Status.SIGNED)  # the handler signed: the handler is land_handler
    mail.send_pending(now=NOW)
    smtp.messages.clear()
    office = login(app.test_client(), app, "office")

    first = act(office, case.id, "urge", note="群众多次来电，请本周内答复")
    assert first.status_code == 302
    page = office.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "已催办（第 1 次），已通知用地规划科负责人和承办人。" in page
    assert "已催办 1 次" in page
    events = _urge_events(case)
    assert [(e.note, e.actor_id, e.from_status, e.to_status) for e in events] == [
        ("群众多次来电，请本周内答复", staff("office").id, "signed", "signed")]
    assert db.session.get(type(case), case.id).status == "signed"  # urging moves nothing

    assert mail.send_pending(now=NOW) == (2, 0)
    assert sorted(m["To"] for m in smtp.messages) == ["land_handler@bureau.example",
                                                      "land_lead@bureau.example"]
    body = smtp.messages[0].get_payload(decode=True).decode()
    assert "催办意见：群众多次来电，请本周内答复" in body
    assert subject(smtp.messages[0]) == f"[{case.number}] 催办：窗口办事排队太久"

    act(office, case.id, "urge", note="再次催办")
    page = office.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "已催办 2 次" in page and "已催办（第 2 次）" in page
    assert len(_urge_events(case)) == 2


def test_urging_is_the_office_s_and_refuses_bad_notes(app, ctx):
    case, _ = make_case()
    office = login(app.test_client(), app, "office")
    # Not yet with a unit: nothing to urge.
    assert act(office, case.id, "urge", note="请尽快").status_code == 403
    drive(case, Status.ASSIGNED)
    lead = login(app.test_client(), app, "land_lead")
    assert act(lead, case.id, "urge", note="请尽快").status_code == 403
    empty = act(office, case.id, "urge", note="")
    assert empty.status_code == 400 and "请填写催办意见。" in empty.get_data(as_text=True)
    nul = act(office, case.id, "urge", note="请\x00尽快")
    assert nul.status_code == 400
    assert 'id="urge-note-err">含有不允许的控制字符' in nul.get_data(as_text=True)
    long = act(office, case.id, "urge", note="催" * 1001)
    assert long.status_code == 400 and "催办意见应为 2 至 1000 个字。" in long.get_data(as_text=True)
    assert "催" * 1001 in long.get_data(as_text=True)  # what was typed is kept
    assert act(office, 999999, "urge", note="请尽快").status_code == 404
    assert _urge_events(case) == []
    assert db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.subject.like("%催办%"))).all() == []


def test_an_answered_case_cannot_be_urged(app, ctx):
    case, _ = make_case()
    drive(case, Status.REPLIED)
    with pytest.raises(DomainError, match="只有已交办、尚未答复的事项可以催办。"):
        supervision.urge_case(case, actor=staff("office"), note="请尽快", now=NOW)
    office = login(app.test_client(), app, "office")
    assert act(office, case.id, "urge", note="请尽快").status_code == 403
    assert _urge_events(case) == []


def test_the_service_refuses_urging_by_a_unit(app, ctx):
    case, _ = make_case()
    drive(case, Status.ASSIGNED)
    with pytest.raises(DomainError, match="催办由评议办进行。"):
        supervision.urge_case(case, actor=staff("land_lead"), note="请尽快", now=NOW)
    assert _urge_events(case) == []
    assert db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.subject.like("%催办%"))).all() == []


def test_escalation_cutoff_counts_working_days_back_from_today():
    calendar = WorkCalendar({})
    # Wed 1 July 2026: back 6 working days is Wed 24 June (the weekend of 27-28 June skipped).
    assert escalation_cutoff(date(2026, 7, 1), 5, calendar) == date(2026, 6, 24)
    # Saturday 10 October 2026 is worked in lieu of the National Day holiday (1-7 October).
    assert escalation_cutoff(date(2026, 10, 12), 2, calendar) == date(2026, 10, 9)
    assert escalation_cutoff(date(2026, 10, 9), 3, calendar) == date(2026, 9, 29)
    assert escalation_cutoff(date(2026, 7, 1), 0, calendar) == date(2026, 7, 1)
    # An administrator's override counts: 30 June made a rest day moves the cutoff back a day.
    rest = WorkCalendar({date(2026, 6, 30): False})
    assert escalation_cutoff(date(2026, 7, 1), 5, rest) == date(2026, 6, 23)


def _assigned_due(due_on, title):
    case, _ = make_case(title=title)
    drive(case, Status.ASSIGNED)
    case.due_on = due_on
    db.session.commit()
    return case


def test_cases_overdue_past_the_setting_reach_the_list_and_the_digest(app, ctx, smtp, leadership):
    assert app.config["ESCALATION_WORKING_DAYS"] == 5
    six = _assigned_due(date(2026, 6, 23), "超期六个工作日的事项")
    five = _assigned_due(date(2026, 6, 24), "超期五个工作日的事项")
    rows = supervision.escalation_list(now=NOW)
    assert [(case.number, days) for case, days in rows] == [(six.number, 6)]

    assert supervision.queue_escalation_digest(now=NOW) == 1
    assert supervision.queue_escalation_digest(now=NOW) == 0  # once a day
    mail.send_pending(now=NOW)
    digests = [m for m in smtp.messages if subject(m).startswith("督办事项")]
    assert [m["To"] for m in digests] == ["admin@bureau.example"]
    assert subject(digests[0]) == "督办事项 2026-07-01（1 件）"
    body = digests[0].get_payload(decode=True).decode()
    assert f"{six.number}  超期 6 个工作日  2026-06-23  用地规划科" in body
    assert five.number not in body
    # The next day the second case is past five working days too: both are in its digest.
    assert supervision.queue_escalation_digest(now=NOW + timedelta(days=1)) == 1


def test_nobody_gets_a_digest_when_nothing_is_escalated(app, ctx, leadership):
    _assigned_due(date(2026, 6, 30), "刚超期的事项")
    assert supervision.queue_escalation_digest(now=NOW) == 0


def test_the_escalation_page_is_for_the_office_and_the_leadership_group(app, ctx):
    today = local_date(utcnow())
    late = _assigned_due(today - timedelta(days=30), "超期一个月的事项")
    fresh = _assigned_due(today + timedelta(days=1), "明天到期的事项")
    office = login(app.test_client(), app, "office")
    page = office.get("/staff/escalations")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert late.number in html and fresh.number not in html
    lead = login(app.test_client(), app, "land_lead")
    assert lead.get("/staff/escalations").status_code == 403
    assert "/staff/escalations" not in lead.get("/staff/board").get_data(as_text=True)
    member = staff("land_lead")
    member.leadership = True
    db.session.commit()
    try:
        assert lead.get("/staff/escalations").status_code == 200
    finally:
        member = staff("land_lead")
        member.leadership = False
        db.session.commit()


def test_the_daily_command_queues_the_escalation_digest(app, ctx, leadership):
    _assigned_due(local_date(utcnow()) - timedelta(days=30), "超期一个月的事项")
    result = app.test_cli_runner().invoke(args=["daily"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("1 escalation digests")
    queued = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == "admin@bureau.example")).all()
    assert [m.subject[:4] for m in queued] == ["督办事项"]


def test_the_office_to_do_lists_pending_extension_requests(app, ctx):
    case, _ = make_case(title="申请延期的事项")
    drive(case, Status.SIGNED)
    office = login(app.test_client(), app, "office")
    before = office.get("/staff/triage").get_data(as_text=True)
    assert 'id="extensions"' not in before and case.number not in before
    handling.request_extension(case, actor=staff("land_lead"), days=5, reason="需要现场勘查",
                               now=NOW)
    html = office.get("/staff/triage").get_data(as_text=True)
    section = html.split('id="extensions"')[1].split("</table>")[0]
    assert case.number in section and "5 个工作日" in section
    handling.decide_extension(case, actor=staff("office"), approve=True, now=NOW)
    assert case.number not in office.get("/staff/triage").get_data(as_text=True)


def test_leadership_membership_is_set_by_the_administrator(app, ctx):
    admin = login(app.test_client(), app, "admin")
    user_id = staff("office").id
    try:
        assert admin.post(f"/staff/admin/users/{user_id}/leadership").status_code == 302
        assert staff("office").leadership is True
        assert admin.post(f"/staff/admin/users/{user_id}/no_leadership").status_code == 302
        assert staff("office").leadership is False
        assert admin.post(f"/staff/admin/users/{user_id}/chief").status_code == 400
        office = login(app.test_client(), app, "office")
        assert office.post(f"/staff/admin/users/{user_id}/leadership").status_code == 403
    finally:
        member = staff("office")
        member.leadership = False
        db.session.commit()
