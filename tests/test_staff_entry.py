"""Staff entry of letters and calls: the date received starts the clocks, and the office can
accept and assign in the same step, by the same routing rules as the case page."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import Case, CaseEvent, DomainError, FieldError, OutboxMessage, db, utcnow
from portal.services import intake
from portal.services.clock import local_date
from tests.factories import NOW, count_cases, form_data, login, staff, unit

LETTER = {"kind": "complaint", "channel": "letter", "title": "来信反映窗口排队",
          "content": "六月二十四日寄出的信：窗口排队两个小时。", "target_unit_id": None,
          "topic_id": None, "name": "王五", "phone": "", "email": "", "address": "人民路 1 号",
          "publish_consent": False}
REFUSED = "举报件不能交办给被举报的科室"


def letter(**overrides):
    return LETTER | overrides


def test_a_letter_counts_from_its_date_received_not_the_typing_day(app, ctx):
    # Typed on Wednesday 1 July 2026; the letter arrived on Wednesday 24 June. No holiday falls
    # between: acceptance is due 2 working days after (Fri 26 June), a complaint's reply 15
    # (Wed 15 July), both counted from 24 June.
    case, _code = intake.enter_case(fields=letter(), received_on=date(2026, 6, 24),
                                    actor=staff("office"), now=NOW)
    assert (case.received_on, case.accept_due_on, case.due_on) == (
        date(2026, 6, 24), date(2026, 6, 26), date(2026, 6, 26))
    assert case.status == "submitted" and case.number == "PY2026000001"
    accepted, _code = intake.enter_case(fields=letter(), received_on=date(2026, 6, 24),
                                        accept=True, unit_id=unit("land").id,
                                        actor=staff("office"), now=NOW)
    assert (accepted.status, accepted.unit_id, accepted.due_on) == (
        "assigned", unit("land").id, date(2026, 7, 15))


def test_without_a_date_received_the_case_counts_from_today(app, ctx):
    case, _code = intake.enter_case(fields=letter(), received_on=None, actor=staff("office"),
                                    now=NOW)
    assert (case.received_on, case.accept_due_on) == (date(2026, 7, 1), date(2026, 7, 3))


def test_a_date_received_in_the_future_is_refused_and_nothing_is_filed(app, ctx):
    with pytest.raises(FieldError, match="收到日期不能晚于今天") as refused:
        intake.enter_case(fields=letter(), received_on=date(2026, 7, 2), actor=staff("office"),
                          now=NOW)
    assert refused.value.field == "received_on"
    # Today itself is fine (1 July 2026, 10:00 in Beijing).
    intake.enter_case(fields=letter(), received_on=date(2026, 7, 1), actor=staff("office"),
                      now=NOW)
    assert count_cases() == 1


def test_a_report_entered_by_staff_is_never_assigned_to_the_unit_it_accuses(app, ctx):
    report = letter(kind="report", target_unit_id=unit("land").id)
    with pytest.raises(DomainError, match=REFUSED):
        intake.enter_case(fields=report, received_on=None, accept=True,
                          unit_id=unit("land").id, actor=staff("office"), now=NOW)
    db.session.rollback()
    assert count_cases() == 0  # refused before anything was filed, number included
    case, _code = intake.enter_case(fields=report, received_on=None, accept=True,
                                    unit_id=unit("compilation").id, actor=staff("office"),
                                    now=NOW)
    assert (case.status, case.unit_id, case.number) == (
        "assigned", unit("compilation").id, "PY2026000001")


def entry(client, **overrides):
    return client.post("/staff/cases/new", data=form_data(channel="letter", **overrides))


def test_the_office_enters_accepts_and_assigns_a_letter_in_one_step(app, ctx):
    office = login(app.test_client(), app, "office")
    received = local_date(utcnow()) - timedelta(days=3)
    response = entry(office, received_on=received.isoformat(), accept="y",
                     unit=str(unit("land").id))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "已登记" in html and "已交办至用地规划科" in html
    case = db.session.scalars(select(Case)).one()
    assert (case.status, case.unit_id, case.received_on, case.channel) == (
        "assigned", unit("land").id, received, "letter")
    actions = [e.action for e in db.session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id))]
    assert actions == ["submitted", "accepted", "assigned"]
    recipients = set(db.session.scalars(select(OutboxMessage.recipient)))
    assert {"zhangsan@example.com", staff("land_lead").email} <= recipients


def test_a_future_date_received_answers_400_and_keeps_what_was_typed(app, ctx):
    office = login(app.test_client(), app, "office")
    tomorrow = local_date(utcnow()) + timedelta(days=1)
    response = entry(office, received_on=tomorrow.isoformat(), title="明天才收到的来信")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="received_on-err">收到日期不能晚于今天。' in html
    assert 'value="明天才收到的来信"' in html and f'value="{tomorrow.isoformat()}"' in html
    assert count_cases() == 0


@pytest.mark.parametrize("typed", ["2026-13-45", "昨天", "2026/06/24x", "9" * 40])
def test_a_date_received_that_is_no_date_answers_400_with_a_message(app, ctx, typed):
    office = login(app.test_client(), app, "office")
    response = entry(office, received_on=typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="received_on-err"' in html
    assert count_cases() == 0


def test_a_report_typed_in_cannot_be_assigned_to_the_accused_unit_over_http(app, ctx):
    office = login(app.test_client(), app, "office")
    response = entry(office, kind="report", accept="y", unit=str(unit("land").id))
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="unit-err">举报件不能交办给被举报的科室' in html
    assert count_cases() == 0
    response = entry(office, kind="report", accept="y", unit=str(unit("compilation").id),
                     submission_key="k" * 21 + "2")
    assert response.status_code == 200
    assert db.session.scalars(select(Case.unit_id)).one() == unit("compilation").id


def test_assigning_without_accepting_is_refused_with_a_message(app, ctx):
    office = login(app.test_client(), app, "office")
    response = entry(office, unit=str(unit("land").id))
    assert response.status_code == 400
    assert "交办前须先受理：请勾选“同时受理”。" in response.get_data(as_text=True)
    assert count_cases() == 0


def test_a_forged_unit_id_answers_400(app, ctx):
    office = login(app.test_client(), app, "office")
    for forged, error in (("999999", "不是有效的选择。"), ("abc", "选择无效"),
                          ("１", "不是有效的选择。")):
        response = entry(office, accept="y", unit=forged)
        assert response.status_code == 400
        assert f'id="unit-err">{error}' in response.get_data(as_text=True), forged
    assert count_cases() == 0


def test_unit_staff_register_but_do_not_accept(app, ctx):
    lead = login(app.test_client(), app, "land_lead")
    page = lead.get("/staff/cases/new").get_data(as_text=True)
    assert 'name="accept"' not in page and 'name="received_on"' in page
    response = entry(lead, accept="y", unit=str(unit("land").id))
    assert response.status_code == 200
    assert db.session.scalars(select(Case.status)).one() == "submitted"


def test_the_service_refuses_an_acceptance_by_unit_staff_and_files_nothing(app, ctx):
    with pytest.raises(DomainError, match=r"不能从 submitted 转为 accepted（角色：leader）"):
        intake.enter_case(fields=letter(), received_on=None, accept=True, unit_id=unit("land").id,
                          actor=staff("land_lead"), now=NOW)
    db.session.rollback()
    assert count_cases() == 0


def test_a_date_received_typed_in_full_width_digits_is_read(app, ctx):
    office = login(app.test_client(), app, "office")
    received = local_date(utcnow()) - timedelta(days=2)
    wide = received.isoformat().translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    assert entry(office, received_on=wide).status_code == 200
    assert db.session.scalars(select(Case.received_on)).one() == received
