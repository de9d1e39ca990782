"""Published letters (信件公开): a redacted copy of a replied case and its reply.

The copy is a row of its own: the office edits it, never the case. Whether a case may be
published at all is decided here, so that no caller can skip it.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import DomainError, UTCDateTime, db
from models.i18n import N_
from models.workflow import ANSWERED, Status


class LetterState(StrEnum):
    DRAFT = "draft"  # prepared for review, not public
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"  # was public, taken down


LETTER_STATE_LABELS = {
    LetterState.DRAFT: N_("待审核"),
    LetterState.PUBLISHED: N_("已公开"),
    LetterState.WITHDRAWN: N_("已撤回"),
}


class PublishedLetter(db.Model):
    __table_args__ = (Index("ix_published_letter_state_published", "state", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), unique=True)
    state: Mapped[str] = mapped_column(String(20), default=LetterState.DRAFT.value)
    title: Mapped[str] = mapped_column(String(100))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)  # plain text; paragraphs kept as line breaks
    # Copied from the case so the public list filters on this table alone.
    kind: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id"))
    received_on: Mapped[date] = mapped_column(Date)
    replied_on: Mapped[date | None] = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer)
    rating: Mapped[str | None] = mapped_column(String(20))
    prepared_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case = relationship("Case")
    unit = relationship("Unit")
    topic = relationship("Topic")
    logs = relationship("LetterLog", order_by="LetterLog.id")


class LetterLog(db.Model):
    """Who prepared, edited, published or withdrew a letter, and why; written once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("published_letter.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    action: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")

    actor = relationship("StaffUser")


LOG_LABELS = {
    "prepared": N_("生成脱敏稿"),
    "edited": N_("修改脱敏稿"),
    "published": N_("公开"),
    "withdrawn": N_("撤回公开"),
}


def check_publishable(case):
    """Refuse a case that may not be published: only with the citizen's consent, and only
    once its reply has reached the citizen."""
    if not case.publish_consent:
        raise DomainError(N_("来信人未同意公开，不能公开。"))
    if Status(case.status) not in ANSWERED or case.replied_on is None:
        raise DomainError(N_("只有已答复的事项才能公开。"))


def letter_for_case(case_id):
    return db.session.scalars(
        select(PublishedLetter).where(PublishedLetter.case_id == case_id)).first()


def is_published(letter):
    return letter.state == LetterState.PUBLISHED


def published_description(case):
    """The case's question as the public may read it (redacted and reviewed), or None when it
    is not published. For any public view of a case (e.g. an Open311 ``description``)."""
    letter = letter_for_case(case.id)
    return letter.question if letter is not None and is_published(letter) else None


def _escape_like(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def public_letters(*, unit_id=None, kind=None, topic_id=None, year=None, words="", page=1,
                   per_page=20):
    """One page of published letters, newest first, and whether another page follows."""
    stmt = select(PublishedLetter).where(PublishedLetter.state == LetterState.PUBLISHED.value)
    if unit_id is not None:
        stmt = stmt.where(PublishedLetter.unit_id == unit_id)
    if kind:
        stmt = stmt.where(PublishedLetter.kind == kind)
    if topic_id is not None:
        stmt = stmt.where(PublishedLetter.topic_id == topic_id)
    if year is not None:
        stmt = stmt.where(PublishedLetter.year == year)
    for word in words.split()[:5]:
        pattern = f"%{_escape_like(word)}%"
        stmt = stmt.where(or_(PublishedLetter.title.like(pattern, escape="\\"),
                              PublishedLetter.question.like(pattern, escape="\\"),
                              PublishedLetter.answer.like(pattern, escape="\\")))
    stmt = stmt.order_by(PublishedLetter.published_at.desc(), PublishedLetter.id.desc())
    rows = db.session.scalars(stmt.offset((page - 1) * per_page).limit(per_page + 1)).all()
    return rows[:per_page], len(rows) > per_page


def letter_years():
    stmt = (select(PublishedLetter.year).where(PublishedLetter.state == LetterState.PUBLISHED.value)
            .distinct().order_by(PublishedLetter.year.desc()))
    return list(db.session.scalars(stmt))


def candidates(limit=200):
    """Answered cases whose citizen consented, with their letter if one was prepared."""
    from models.case import Case

    stmt = (select(Case, PublishedLetter).outerjoin(PublishedLetter,
                                                    PublishedLetter.case_id == Case.id)
            .where(Case.publish_consent.is_(True),
                   Case.status.in_([s.value for s in ANSWERED]))
            .order_by(Case.replied_on.desc(), Case.id.desc()).limit(limit))
    return db.session.execute(stmt).all()

