"""A case's life as domain methods: each move writes exactly one event, with the exact status,
action and deadline; dates are counted by hand on China's 2026 calendar."""

from datetime import UTC, date, datetime

import pytest

from models import Case, DomainError, InvalidTransition, StaffUser, Unit
from models.deadlines import REPLY_WORKING_DAYS, DeadlinePolicy, WorkCalendar

AT = datetime(2026, 7, 3, 2, 0, tzinfo=UTC)  # Friday 3 July 2026, 10:00 in Beijing
POLICY = DeadlinePolicy(calendar=WorkCalendar({}), reply_days=dict(REPLY_WORKING_DAYS),
                        acceptance_days=2, extension_max=15, due_soon_days=3, rating_window=20)
OFFICE = StaffUser(id=1, username="o", name="评议办", role="office")
LEADER = StaffUser(id=2, username="l", name="科长", role="leader", unit_id=7)
HANDLER = StaffUser(id=3, username="h", name="小王", role="handler", unit_id=7)
LAND = Unit(id=7, code="land", name="用地规划科")


def filed(kind="complaint", received_on=date(2026, 7, 3), actor=None):
    case = Case(kind=kind, title="t", content="c", status="submitted", extended=False)
    case.file(policy=POLICY, received_on=received_on, actor=actor, at=AT)
    return case


def last(case):
    event = case.events[-1]
    return event.action, event.from_status, event.to_status, event.actor_role


def last_of(event):
    return event.action, event.from_status, event.to_status


def test_filing_writes_the_first_event_and_the_acceptance_deadline():
    case = filed()
    assert len(case.events) == 1
    assert last(case) == ("submitted", None, "submitted", "citizen")
    # Friday + 2 working days, over the weekend: Tuesday 7 July.
    assert (case.received_on, case.accept_due_on, case.due_on) == (
        date(2026, 7, 3), date(2026, 7, 7), date(2026, 7, 7))
    assert case.calendar_known is True and case.created_by_id is None
    typed_in = filed(actor=OFFICE)
    assert last(typed_in) == ("submitted", None, "submitted", "office")
    assert typed_in.created_by_id == 1


def test_accepting_starts_the_reply_clock_from_the_day_of_receipt():
    case = filed()
    case.accept(policy=POLICY, actor=OFFICE, note="属实", at=AT)
    assert case.status == "accepted" and len(case.events) == 2
    assert last(case) == ("accepted", "submitted", "accepted", "office")
    assert case.events[-1].note == "属实"
    # A complaint has 15 working days: 6-10, 13-17, 20-24 July.
    assert case.due_on == date(2026, 7, 24)


def test_accept_and_assign_is_one_method_with_one_event_per_change():
    case = filed()
    case.handler_id = 3
    case.accept(policy=POLICY, actor=OFFICE, unit=LAND, note="交用地科", at=AT)
    assert [last_of(e) for e in case.events] == [
        ("submitted", None, "submitted"),
        ("accepted", "submitted", "accepted"),
        ("assigned", "accepted", "assigned"),
    ]
    assert case.status == "assigned" and case.unit_id == 7 and case.handler_id is None
    assert case.events[2].note == "交用地科"


def test_the_system_accepts_and_assigns_questionnaire_opinions():
    case = filed(kind="suggestion")
    case.accept(policy=POLICY, role="system", unit=LAND, at=AT)
    assert [e.actor_role for e in case.events] == ["citizen", "system", "system"]
    assert case.status == "assigned"
    assert case.due_on == date(2026, 7, 17)  # a suggestion: 10 working days from Friday 3 July


def test_a_deadline_over_two_holidays():
    # A consultation (5 working days) received Wednesday 23 September 2026: Thu 24 (1),
    # Mid-Autumn 25-27, Mon 28 (2), Tue 29 (3), Wed 30 (4), National Day 1-7 October, Thu 8 (5).
    case = filed(kind="consultation", received_on=date(2026, 9, 23))
    assert case.accept_due_on == date(2026, 9, 28)  # Thu 24, then Monday after the holiday
    case.accept(policy=POLICY, actor=OFFICE, at=AT)
    assert case.due_on == date(2026, 10, 8)


def walk_to_replied(case):
    case.accept(policy=POLICY, actor=OFFICE, unit=LAND, at=AT)
    case.sign(actor=HANDLER, at=AT)
    case.start(actor=HANDLER, at=AT)
    case.submit_reply(actor=HANDLER, at=AT)
    case.approve_reply(actor=LEADER, at=AT)
    case.release_reply(actor=OFFICE, replied_on=date(2026, 7, 10), at=AT)


def walk_to_rated(case):
    walk_to_replied(case)
    case.rate("unsatisfied", reason="没解决", at=AT)


def test_every_move_writes_exactly_one_event():
    case = filed()
    steps = [
        (lambda: case.accept(policy=POLICY, actor=OFFICE, at=AT),
         ("accepted", "submitted", "accepted", "office")),
        (lambda: case.assign(LAND, actor=OFFICE, at=AT),
         ("assigned", "accepted", "assigned", "office")),
        (lambda: case.return_to_office(actor=LEADER, reason="非本科职责", at=AT),
         ("returned", "assigned", "returned", "leader")),
        (lambda: case.assign(LAND, actor=OFFICE, note="请再核", at=AT),
         ("assigned", "returned", "assigned", "office")),
        (lambda: case.sign(actor=HANDLER, at=AT), ("signed", "assigned", "signed", "handler")),
        (lambda: case.name_handler(LEADER, actor=LEADER, at=AT),
         ("handler_set", "signed", "signed", "leader")),
        (lambda: case.start(actor=HANDLER, at=AT),
         ("in_progress", "signed", "in_progress", "handler")),
        (lambda: case.add_note("打过电话", actor=HANDLER, at=AT),
         ("note", "in_progress", "in_progress", "handler")),
        (lambda: case.submit_reply(actor=HANDLER, at=AT),
         ("reply_drafted", "in_progress", "reply_drafted", "handler")),
        (lambda: case.send_back(actor=LEADER, reason="再改", at=AT),
         ("sent_back", "reply_drafted", "in_progress", "leader")),
        (lambda: case.submit_reply(actor=HANDLER, at=AT),
         ("reply_drafted", "in_progress", "reply_drafted", "handler")),
        (lambda: case.approve_reply(actor=LEADER, at=AT),
         ("reply_approved", "reply_drafted", "reply_approved", "leader")),
        (lambda: case.release_reply(actor=OFFICE, replied_on=date(2026, 7, 10), at=AT),
         ("replied", "reply_approved", "replied", "office")),
        (lambda: case.rate("satisfied", reason="", at=AT),
         ("rated:satisfied", "replied", "rated", "citizen")),
        (lambda: case.close(actor=OFFICE, at=AT), ("closed", "rated", "closed", "office")),
    ]
    for move, expected in steps:
        before = len(case.events)
        move()
        assert len(case.events) == before + 1
        assert last(case) == expected
        assert case.status == expected[2]
    assert case.handler_id == 2  # signed by the handler, then the leader named himself
    assert (case.replied_at, case.replied_on, case.closed_at) == (AT, date(2026, 7, 10), AT)


def test_refusing_writes_the_reason_the_citizen_reads():
    case = filed()
    case.refuse(actor=OFFICE, reason="不属于本局职责", at=AT)
    assert case.status == "not_accepted" and len(case.events) == 2
    assert (case.events[-1].public_note, case.events[-1].note) == ("不属于本局职责", "")


def test_unrated_replies_close_as_the_system():
    case = filed()
    walk_to_replied(case)
    case.close_unrated(at=AT)
    assert last(case) == ("closed_unrated", "replied", "closed", "system")
    assert case.closed_at == AT


def test_reopening_restarts_the_clock_from_today_and_clears_the_reply():
    case = filed()
    walk_to_rated(case)
    case.extended = True
    before = len(case.events)
    case.reopen(policy=POLICY, actor=OFFICE, reason="请重新核查", today=date(2026, 9, 18), at=AT)
    assert len(case.events) == before + 1
    assert last(case) == ("reopened", "rated", "reopened", "office")
    assert case.events[-1].public_note == "请重新核查"
    # 15 working days from Friday 18 September: Sun 20 is worked (调休) and counts (1), 21-24
    # (5), Mid-Autumn 25-27 off, 28-30 (8), National Day 1-7 October off, 8, 9 and Saturday 10,
    # worked (11), Sunday 11 off, 12-15 (15): Thursday 15 October.
    assert case.due_on == date(2026, 10, 15)
    assert (case.extended, case.replied_at, case.replied_on) == (False, None, None)


def test_an_extension_is_asked_then_approved_with_one_event_each():
    case = filed()
    case.accept(policy=POLICY, actor=OFFICE, unit=LAND, at=AT)
    case.request_extension(5, reason="需要现场踏勘", actor=LEADER, at=AT)
    assert last(case) == ("extension_requested", "assigned", "assigned", "leader")
    assert case.events[-1].note == "5 / 需要现场踏勘"
    assert (case.extension_days_requested, case.due_on) == (5, date(2026, 7, 24))
    case.approve_extension(policy=POLICY, actor=OFFICE, at=AT)
    assert last(case) == ("extended", "assigned", "assigned", "office")
    assert (case.events[-1].note, case.events[-1].public_note) == ("5", "需要现场踏勘")
    # Friday 24 July + 5 working days: Friday 31 July.
    assert case.due_on == date(2026, 7, 31)
    assert (case.extended, case.extension_days_requested, case.status) == (True, None, "assigned")
    assert len(case.events) == 5


def test_a_refused_extension_leaves_the_clock_and_clears_the_request():
    case = filed()
    case.accept(policy=POLICY, actor=OFFICE, unit=LAND, at=AT)
    case.request_extension(3, reason="r", actor=LEADER, at=AT)
    case.refuse_extension(actor=OFFICE, at=AT)
    assert last(case) == ("extension_refused", "assigned", "assigned", "office")
    assert (case.due_on, case.extended, case.extension_days_requested) == (
        date(2026, 7, 24), False, None)


def test_an_extension_beyond_the_maximum_is_refused_and_writes_nothing():
    case = filed()
    case.accept(policy=POLICY, actor=OFFICE, unit=LAND, at=AT)
    case.request_extension(16, reason="r", actor=LEADER, at=AT)
    events = len(case.events)
    with pytest.raises(DomainError, match="延期天数超出允许范围。"):
        case.approve_extension(policy=POLICY, actor=OFFICE, at=AT)
    assert (len(case.events), case.due_on, case.extended) == (events, date(2026, 7, 24), False)
    assert POLICY.extension_allowed(15) and not POLICY.extension_allowed(16)
    assert not POLICY.extension_allowed(0) and not POLICY.extension_allowed(None)


def test_a_move_the_state_machine_refuses_writes_no_event():
    case = filed()
    with pytest.raises(InvalidTransition):
        case.sign(actor=HANDLER, at=AT)
    with pytest.raises(InvalidTransition):
        case.close(actor=OFFICE, at=AT)
    assert case.status == "submitted" and len(case.events) == 1
