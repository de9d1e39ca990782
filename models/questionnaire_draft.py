"""Answers saved while an invited respondent fills a questionnaire, so that they can stop and
come back with the same code. A draft is the one place where answers and an invitation meet:
it is deleted in the same transaction that stores the anonymous response."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, delete
from sqlalchemy.orm import Mapped, mapped_column

from models.base import UTCDateTime, db


class QuestionnaireDraft(db.Model):
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id"), primary_key=True)
    answers: Mapped[dict] = mapped_column(JSON)  # form field name -> value, as typed
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)


def draft_of(invitation_id):
    row = db.session.get(QuestionnaireDraft, invitation_id)
    return dict(row.answers) if row is not None else None


def keep_draft(invitation_id, answers, now):
    """Replace the invitation's draft in the caller's transaction."""
    row = db.session.get(QuestionnaireDraft, invitation_id)
    if row is None:
        row = QuestionnaireDraft(invitation_id=invitation_id)
        db.session.add(row)
    row.answers, row.saved_at = answers, now


def discard_draft(invitation_id):
    db.session.execute(delete(QuestionnaireDraft).where(
        QuestionnaireDraft.invitation_id == invitation_id))
