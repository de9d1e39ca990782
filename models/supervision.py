"""Supervision (督办): how often the office urged a case, and when an overdue case goes up to
the leadership group (领导小组).

Pure rules plus the one query of escalated cases; ``today`` always arrives as an argument.
"""

from datetime import timedelta

from sqlalchemy import func, select

from models.base import db
from models.case import Case, CaseEvent, unanswered_only

URGED = "urged"  # the CaseEvent action of an urge (催办); it changes no status


def urge_count(events):
    """How many times the office urged the case, from its history (the one record of it)."""
    return sum(1 for event in events if event.action == URGED)


def urge_counts(case_ids):
    """{case id: times urged} for a list page, in one grouped query."""
    if not case_ids:
        return {}
    stmt = (select(CaseEvent.case_id, func.count()).where(
        CaseEvent.case_id.in_(case_ids), CaseEvent.action == URGED).group_by(CaseEvent.case_id))
    return dict(db.session.execute(stmt).all())


def escalation_cutoff(today, working_days, calendar):
    """The earliest deadline that is NOT yet escalated on ``today``.

    A case is overdue by the working days after its deadline up to today; it is escalated
    when that count exceeds ``working_days``. Counting back from today, the (N+1)th working day
    is the cutoff: a deadline before it leaves more than N working days between them.
    """
    day, counted = today, 0
    while True:
        if calendar.is_workday(day):
            counted += 1
            if counted > working_days:
                return day
        day -= timedelta(days=1)


def overdue_working_days(due_on, today, calendar):
    return calendar.working_days_between(due_on, today) if due_on and due_on < today else 0


def escalated(cutoff, fence_unit_id=None):
    """Unanswered cases whose deadline lies before ``cutoff``, the most overdue first."""
    stmt = select(Case).where(unanswered_only(), Case.due_on < cutoff)
    if fence_unit_id is not None:
        stmt = stmt.where(Case.unit_id == fence_unit_id)
    return stmt.order_by(Case.due_on, Case.id)
