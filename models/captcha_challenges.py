"""Server-side captcha answers for deployments without Redis (the embedded default)."""

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import UTCDateTime, db


class CaptchaChallenge(db.Model):
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    answer: Mapped[str] = mapped_column(String(12))
    # sha256 of the browser session's captcha id: the challenge answers only for that session.
    session_tag: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # The picture, drawn at its first request and deleted with the row (answered or expired).
    image: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
