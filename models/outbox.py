"""Outgoing mail, written in the same transaction as the change it reports, sent later by a
command; a crash between the two never loses or invents a message."""

import re
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, Text, func, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from models.base import UTCDateTime, db

MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(minutes=5)  # then 10, 20, 40 minutes; the fifth failure is final

# Everything str.splitlines() breaks on (CR, LF, VT, FF, FS, GS, RS, NEL, U+2028, U+2029) and
# the other control characters: a header must be one line, or the message cannot be built.
LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def single_line(text):
    """Header text on one line: each run of breaks and control characters becomes a space."""
    return " ".join(LINE_BREAKS.sub(" ", text or "").split())


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
    # When a failed message may be tried again; None when it is sent or has been given up.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def record_sent(self, now):
        self.attempts += 1
        self.sent_at, self.last_error, self.next_attempt_at = now, "", None

    def record_failure(self, error, now):
        """Keep the error; wait twice as long after each failure, give up after the last."""
        self.attempts += 1
        self.last_error = error[:500]
        self.next_attempt_at = (
            None if self.attempts >= MAX_ATTEMPTS
            else now + FIRST_RETRY * 2 ** (self.attempts - 1))


def queue_mail(recipient, subject, body, *, now, dedupe_key=None):
    """Add a message to the caller's transaction; nothing is sent here."""
    if not recipient:
        return None
    message = OutboxMessage(recipient=recipient, subject=single_line(subject)[:200], body=body,
                            created_at=now, dedupe_key=dedupe_key)
    db.session.add(message)
    return message


def pending(limit, *, now):
    """Unsent messages due now: never tried, or whose backoff has passed."""
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS,
               or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now))
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return db.session.scalars(stmt).all()


def given_up_count():
    stmt = select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.sent_at.is_(None), OutboxMessage.attempts >= MAX_ATTEMPTS)
    return db.session.scalar(stmt)


def already_queued(dedupe_key):
    stmt = select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
    return db.session.scalar(stmt) is not None
