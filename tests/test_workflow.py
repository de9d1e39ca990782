"""The state machine as a table: pure, no database; and history that cannot be rewritten."""

import pytest

from models import InvalidTransition, Role, Status, db
from models.workflow import (
    ANSWERED,
    FINAL,
    TRANSITIONS,
    UNANSWERED,
    allowed_next,
    can_move,
    check_move,
)
from tests.factories import make_case

STAFF = [Role.ADMIN, Role.OFFICE, Role.LEADER, Role.HANDLER]

# Every (from, to, role) the procedure allows, listed by hand from the domain notes and the
# office's procedure (not read from TRANSITIONS): the office (admin or office staff) accepts or
# refuses, assigns and reassigns, releases or sends back an approved reply, and closes or reopens
# a rated case; the unit (leader or handler) signs or returns, starts, drafts, and handles a
# reopened case again; only the leader approves or sends back a draft; only the citizen rates;
# the system accepts and assigns questionnaire opinions and closes unrated replies.
ALLOWED = frozenset({
    ("submitted", "accepted", "admin"),
    ("submitted", "accepted", "office"),
    ("submitted", "accepted", "system"),
    ("submitted", "not_accepted", "admin"),
    ("submitted", "not_accepted", "office"),
    ("accepted", "assigned", "admin"),
    ("accepted", "assigned", "office"),
    ("accepted", "assigned", "system"),
    ("assigned", "signed", "leader"),
    ("assigned", "signed", "handler"),
    ("assigned", "returned", "leader"),
    ("assigned", "returned", "handler"),
    ("assigned", "assigned", "admin"),
    ("assigned", "assigned", "office"),
    ("returned", "assigned", "admin"),
    ("returned", "assigned", "office"),
    ("returned", "not_accepted", "admin"),
    ("returned", "not_accepted", "office"),
    ("signed", "in_progress", "leader"),
    ("signed", "in_progress", "handler"),
    ("in_progress", "reply_drafted", "leader"),
    ("in_progress", "reply_drafted", "handler"),
    ("reply_drafted", "reply_approved", "leader"),
    ("reply_drafted", "in_progress", "leader"),
    ("reply_approved", "replied", "admin"),
    ("reply_approved", "replied", "office"),
    ("reply_approved", "in_progress", "admin"),
    ("reply_approved", "in_progress", "office"),
    ("replied", "rated", "citizen"),
    ("replied", "closed", "system"),
    ("rated", "closed", "admin"),
    ("rated", "closed", "office"),
    ("rated", "reopened", "admin"),
    ("rated", "reopened", "office"),
    ("reopened", "in_progress", "leader"),
    ("reopened", "in_progress", "handler"),
})
STATUSES = ["submitted", "accepted", "not_accepted", "assigned", "returned", "signed",
            "in_progress", "reply_drafted", "reply_approved", "replied", "rated", "reopened",
            "closed"]
ROLES = ["admin", "office", "leader", "handler", "citizen", "system"]


def test_the_hand_written_table_covers_the_statuses_and_roles_of_the_code():
    assert sorted(STATUSES) == sorted(s.value for s in Status)
    assert sorted(ROLES) == sorted(r.value for r in Role)
    assert len(ALLOWED) == 36


@pytest.mark.parametrize("start", STATUSES)
def test_exactly_the_listed_moves_are_allowed(start):
    for end in STATUSES:
        for role in ROLES:
            expected = (start, end, role) in ALLOWED
            assert can_move(start, end, role) is expected, (start, end, role)
            if expected:
                check_move(start, end, role)
            else:
                with pytest.raises(InvalidTransition):
                    check_move(start, end, role)


def test_allowed_next_lists_the_same_moves():
    for start in STATUSES:
        for role in ROLES:
            expected = {to for (frm, to, who) in ALLOWED if frm == start and who == role}
            assert set(allowed_next(start, role)) == expected, (start, role)


def test_every_status_is_reachable_from_submitted():
    seen, todo = {Status.SUBMITTED}, [Status.SUBMITTED]
    while todo:
        for nxt in TRANSITIONS[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert seen == set(Status)


def test_only_not_accepted_and_closed_are_final():
    assert FINAL == {Status.NOT_ACCEPTED, Status.CLOSED}


def test_closing_needs_a_reply_first():
    closers = [s for s, nxt in TRANSITIONS.items() if Status.CLOSED in nxt]
    assert set(closers) <= ANSWERED
    assert Status.CLOSED not in allowed_next(Status.REPLIED, Role.OFFICE)  # waits for the window


def test_unit_staff_cannot_route_and_office_cannot_sign():
    assert allowed_next(Status.SUBMITTED, Role.HANDLER) == []
    assert allowed_next(Status.ASSIGNED, Role.OFFICE) == [Status.ASSIGNED]
    assert set(allowed_next(Status.ASSIGNED, Role.HANDLER)) == {Status.SIGNED, Status.RETURNED}
    assert allowed_next(Status.REPLY_DRAFTED, Role.HANDLER) == []


def test_unanswered_and_answered_do_not_overlap():
    assert not UNANSWERED & ANSWERED


def test_history_rows_cannot_be_edited_or_deleted(ctx):
    case, _ = make_case()
    event = case.events[0]
    event.note = "rewritten"
    with pytest.raises(InvalidTransition):
        db.session.commit()
    db.session.rollback()
    db.session.delete(case.events[0])
    with pytest.raises(InvalidTransition):
        db.session.commit()
    db.session.rollback()


def test_move_to_refuses_what_the_table_refuses(ctx):
    case, _ = make_case()
    with pytest.raises(InvalidTransition):
        case.move_to(Status.CLOSED, role=Role.OFFICE, at=case.received_at)
    with pytest.raises(InvalidTransition):
        case.move_to(Status.SIGNED, role=Role.HANDLER, at=case.received_at)
    assert case.status == "submitted" and len(case.events) == 1


def test_deadline_marks_only_unanswered_cases():
    from datetime import date

    from models.deadlines import deadline_mark

    today, soon = date(2026, 7, 1), date(2026, 7, 6)
    assert deadline_mark("assigned", date(2026, 6, 30), today, soon) == "overdue"
    assert deadline_mark("assigned", date(2026, 7, 6), today, soon) == "due-soon"
    assert deadline_mark("assigned", date(2026, 7, 7), today, soon) == ""
    assert deadline_mark("replied", date(2026, 6, 30), today, soon) == ""
    assert deadline_mark("not_accepted", date(2026, 6, 30), today, soon) == ""
