"""The state machine as a table: pure, no database; and history that cannot be rewritten."""

import pytest

from models import InvalidTransition, Role, Status, db
from models.workflow import ANSWERED, FINAL, TRANSITIONS, UNANSWERED, allowed_next, can_move
from tests.factories import make_case

STAFF = [Role.ADMIN, Role.OFFICE, Role.LEADER, Role.HANDLER]


@pytest.mark.parametrize("start", list(Status))
@pytest.mark.parametrize("end", list(Status))
def test_every_pair_is_allowed_exactly_when_the_table_says(start, end):
    for role in [*STAFF, Role.CITIZEN, Role.SYSTEM]:
        assert can_move(start, end, role) == (role in TRANSITIONS[start].get(end, ()))


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

    from models.workflow import deadline_mark

    today, soon = date(2026, 7, 1), date(2026, 7, 6)
    assert deadline_mark("assigned", date(2026, 6, 30), today, soon) == "overdue"
    assert deadline_mark("assigned", date(2026, 7, 6), today, soon) == "due-soon"
    assert deadline_mark("assigned", date(2026, 7, 7), today, soon) == ""
    assert deadline_mark("replied", date(2026, 6, 30), today, soon) == ""
    assert deadline_mark("not_accepted", date(2026, 6, 30), today, soon) == ""
