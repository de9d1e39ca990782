"""Queries behind the back-office lists: one filter shape, keyset pages on (due date, id)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, tuple_

from models.case import Case, triage_only, unanswered_only


@dataclass(frozen=True)
class CaseFilter:
    unit_id: int | None = None
    kind: str | None = None
    channel: str | None = None
    status: str | None = None
    topic_id: int | None = None
    received_from: date | None = None
    received_to: date | None = None
    # Deadline windows, for the staff home's links: due_on < due_before, due_from <= due_on.
    due_before: date | None = None
    due_from: date | None = None
    due_by: date | None = None
    extension_pending: bool = False


def filtered(stmt, f):
    conditions = [
        Case.unit_id == f.unit_id if f.unit_id else None,
        Case.kind == f.kind if f.kind else None,
        Case.channel == f.channel if f.channel else None,
        Case.status == f.status if f.status else None,
        Case.topic_id == f.topic_id if f.topic_id else None,
        Case.received_on >= f.received_from if f.received_from else None,
        Case.received_on <= f.received_to if f.received_to else None,
        Case.due_on < f.due_before if f.due_before else None,
        Case.due_on >= f.due_from if f.due_from else None,
        Case.due_on <= f.due_by if f.due_by else None,
        Case.extension_days_requested.is_not(None) if f.extension_pending else None,
    ]
    return stmt.where(*[c for c in conditions if c is not None])


def fenced(stmt, fence_unit_id):
    """Unit staff see only their unit's cases; ``None`` means the office, which sees all."""
    return stmt if fence_unit_id is None else stmt.where(Case.unit_id == fence_unit_id)


def unanswered(fence_unit_id=None, f=CaseFilter()):
    # The very condition of the partial indexes, as literal text, so the planner matches them.
    stmt = select(Case).where(unanswered_only())
    return filtered(fenced(stmt, fence_unit_id), f)


def triage(f=CaseFilter()):
    return filtered(select(Case).where(triage_only()), f)


def unit_cases(unit_id, f=CaseFilter()):
    return filtered(select(Case).where(Case.unit_id == unit_id), f)


def all_cases(fence_unit_id=None, f=CaseFilter()):
    return filtered(fenced(select(Case), fence_unit_id), f)


def keyset_page(stmt, after, size):
    """Cases ordered by deadline then id, after the (due_on, id) cursor; one extra row tells
    whether a next page exists. Overdue cases, having the earliest deadlines, come first."""
    if after is not None:
        due, last_id = after
        # A row-value comparison, so the index on (due_on, id) seeks straight to the cursor.
        stmt = stmt.where(tuple_(Case.due_on, Case.id) > tuple_(due, last_id))
    return stmt.order_by(Case.due_on, Case.id).limit(size + 1)
