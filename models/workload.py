"""What waits on whom: the counts behind the staff home (工作台), in grouped queries."""

from sqlalchemy import case as when
from sqlalchemy import func, select

from models.base import db
from models.case import Case, unanswered_only


def _fenced(stmt, fence_unit_id):
    return stmt if fence_unit_id is None else stmt.where(Case.unit_id == fence_unit_id)


def status_counts(fence_unit_id=None):
    """{status: number of cases}, over the cases the viewer may see."""
    stmt = _fenced(select(Case.status, func.count()).group_by(Case.status), fence_unit_id)
    return dict(db.session.execute(stmt).all())


def deadline_counts(today, soon, cutoff, fence_unit_id=None):
    """Unanswered cases overdue, due by ``soon`` (not yet overdue) and escalated."""
    stmt = _fenced(select(
        func.count(when((Case.due_on < today, 1))),
        func.count(when((Case.due_on.between(today, soon), 1))),
        func.count(when((Case.due_on < cutoff, 1))),
    ).where(unanswered_only()), fence_unit_id)
    overdue, due_soon, escalated = db.session.execute(stmt).one()
    return {"overdue": overdue, "due_soon": due_soon, "escalated": escalated}


def extension_requests(fence_unit_id=None):
    stmt = _fenced(select(func.count()).where(Case.extension_days_requested.is_not(None)),
                   fence_unit_id)
    return db.session.scalar(stmt)


def unit_counts(today, soon, fence_unit_id=None):
    """{unit id: {"unanswered", "overdue", "due_soon"}} for the units holding open cases."""
    stmt = _fenced(select(
        Case.unit_id, func.count(), func.count(when((Case.due_on < today, 1))),
        func.count(when((Case.due_on.between(today, soon), 1))),
    ).where(unanswered_only(), Case.unit_id.is_not(None)).group_by(Case.unit_id), fence_unit_id)
    return {unit_id: {"unanswered": n, "overdue": late, "due_soon": near}
            for unit_id, n, late, near in db.session.execute(stmt)}
