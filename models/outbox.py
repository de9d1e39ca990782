"""Outgoing mail, written in the same transaction as the change it reports, sent later by a
command; a crash between the two never loses or invents a message."""

from datetime import datetime

from sqlalchemy import Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from .base import UTCDateTime, db

MAX_ATTEMPTS = 5


class OutboxMessage(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # e.g. "digest:office:2026-07-01": the same notice is never queued twice.
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")


def queue_mail(recipient, subject, body, *, now, dedupe_key=None):
    """Add a message to the caller's transaction; nothing is sent here."""
    if not recipient:
        return None
    message = OutboxMessage(
        recipient=recipient, subject=subject, body=body, created_at=now, dedupe_key=dedupe_key
    )
    db.session.add(message)
    return message


def pending(limit):
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return db.session.scalars(stmt).all()


def already_queued(dedupe_key):
    stmt = select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
    return db.session.scalar(stmt) is not None
