"""Campaign notices (宣传发动): what the office publishes on the home page and at /notices."""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import UTCDateTime, db


class Notice(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    # The date the notice carries (and from which it is shown); the office may date it ahead.
    dated_on: Mapped[date] = mapped_column(Date, index=True)
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))

    attachments = relationship("NoticeAttachment", order_by="NoticeAttachment.id",
                               back_populates="notice")


class NoticeAttachment(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id"), index=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(Integer)

    notice = relationship("Notice", back_populates="attachments")


def shown_notices(today, limit=None):
    """Notices the public sees on ``today``: dated today or earlier, not withdrawn, newest
    first."""
    stmt = (select(Notice).where(Notice.withdrawn.is_(False), Notice.dated_on <= today)
            .order_by(Notice.dated_on.desc(), Notice.id.desc()))
    return db.session.scalars(stmt.limit(limit) if limit else stmt).all()


def is_shown(notice, today):
    return not notice.withdrawn and notice.dated_on <= today


def all_notices():
    return db.session.scalars(select(Notice).order_by(Notice.dated_on.desc(),
                                                      Notice.id.desc())).all()
