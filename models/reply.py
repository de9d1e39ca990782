"""Replies to cases, the citizen's rating of them, and canned replies per topic."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import UTCDateTime, db
from models.i18n import N_


class Reply(db.Model):
    """One version of a case's reply: drafted by the unit, approved by its leader, released by
    the office. A reopened case gets a new version; earlier ones stay as they were."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    body_html: Mapped[str] = mapped_column(Text)  # cleaned by portal.abuse.html_cleaning.clean_reply_html
    drafted_by_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    drafted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    drafted_by = relationship("StaffUser", foreign_keys=[drafted_by_id])
    approved_by = relationship("StaffUser", foreign_keys=[approved_by_id])


class RatingValue(StrEnum):
    SATISFIED = "satisfied"
    BASICALLY = "basically_satisfied"
    UNSATISFIED = "unsatisfied"


RATING_LABELS = {
    RatingValue.SATISFIED: N_("满意"),
    RatingValue.BASICALLY: N_("基本满意"),
    RatingValue.UNSATISFIED: N_("不满意"),
}
NO_RATING_LABEL = N_("未评价")


class Rating(db.Model):
    """The citizen's rating of one released reply."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    reply_id: Mapped[int] = mapped_column(ForeignKey("reply.id"), unique=True)
    value: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class CannedReply(db.Model):
    """A reusable opening or explanation, offered to drafters by topic."""

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id"))
    title: Mapped[str] = mapped_column(String(100))
    body_html: Mapped[str] = mapped_column(Text)

    topic = relationship("Topic")


def current_reply(case_id):
    stmt = select(Reply).where(Reply.case_id == case_id).order_by(Reply.id.desc()).limit(1)
    return db.session.scalars(stmt).first()


def released_reply(case_id):
    stmt = (
        select(Reply)
        .where(Reply.case_id == case_id, Reply.released_at.is_not(None))
        .order_by(Reply.id.desc())
        .limit(1)
    )
    return db.session.scalars(stmt).first()


def rating_of(reply_id):
    return db.session.scalars(select(Rating).where(Rating.reply_id == reply_id)).first()


def last_rating_unsatisfied(case_id):
    """Whether the citizen rated the latest released reply "unsatisfied" (which alone opens
    the way to handling the case again)."""
    reply = released_reply(case_id)
    rating = rating_of(reply.id) if reply else None
    return rating is not None and rating.value == RatingValue.UNSATISFIED


def canned_for(topic_id):
    stmt = select(CannedReply).where(
        (CannedReply.topic_id == topic_id) | CannedReply.topic_id.is_(None)
    )
    return db.session.scalars(stmt.order_by(CannedReply.title)).all()
