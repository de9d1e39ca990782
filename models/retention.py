"""The retention rule: which finished cases still hold personal data past the period.

A case is finished when it reached a final status (closed, or not accepted); its personal data
is its contact details and its attachments. The case text and history are not personal data
here: they are kept for the bureau's record and statistics.
"""

from datetime import timedelta

from sqlalchemy import exists, func, or_, select

from models.base import db
from models.case import Attachment, Case, CaseEvent
from models.workflow import FINAL

CONTACT_FIELDS = ("name", "phone", "email", "address")
PURGE_ACTION = "personal_data_purged"


def _finished_at():
    """When each finished case reached its final status (closed, or not accepted)."""
    return (
        select(CaseEvent.case_id, func.max(CaseEvent.at).label("at"))
        .join(Case, Case.id == CaseEvent.case_id)
        .where(CaseEvent.to_status == Case.status, CaseEvent.from_status != CaseEvent.to_status)
        .group_by(CaseEvent.case_id)
        .subquery()
    )


def due_cases(*, now, retention_days):
    """(case, finished at) for finished cases past the period that still hold personal data."""
    finished = _finished_at()
    holds_data = or_(
        *(getattr(Case, f) != "" for f in CONTACT_FIELDS),
        exists().where(Attachment.case_id == Case.id),
    )
    stmt = (
        select(Case, finished.c.at)
        .join(finished, finished.c.case_id == Case.id)
        .where(Case.status.in_([s.value for s in FINAL]),
               finished.c.at < now - timedelta(days=retention_days), holds_data)
        .order_by(Case.id)
    )
    return db.session.execute(stmt).all()
