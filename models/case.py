"""Cases (件): what a citizen or a representative raised, its history and its attachments."""

import re
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    DDL,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    event,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from models.base import UTCDateTime, db, utcnow
from models.case_life import CaseLife
from models.i18n import N_
from models.workflow import TRIAGE, UNANSWERED, InvalidTransition, Role, Status, check_move


class Kind(StrEnum):
    COMPLAINT = "complaint"
    REPORT = "report"
    SUGGESTION = "suggestion"
    CONSULTATION = "consultation"
    PRAISE = "praise"


KIND_LABELS = {
    Kind.COMPLAINT: N_("投诉"),
    Kind.REPORT: N_("举报"),
    Kind.SUGGESTION: N_("建议"),
    Kind.CONSULTATION: N_("咨询"),
    Kind.PRAISE: N_("表扬"),
}


class Channel(StrEnum):
    WEB = "web"
    PHONE = "phone"
    LETTER = "letter"
    FORUM = "forum"
    VISIT = "visit"
    QUESTIONNAIRE = "questionnaire"
    INSPECTION = "inspection"
    API = "api"  # a partner system through the Open311 API; the case names the key


CHANNEL_LABELS = {
    Channel.WEB: N_("网站信箱"),
    Channel.PHONE: N_("投诉电话"),
    Channel.LETTER: N_("来信"),
    Channel.FORUM: N_("座谈会"),
    Channel.VISIT: N_("走访来访"),
    Channel.QUESTIONNAIRE: N_("问卷"),
    Channel.INSPECTION: N_("明查暗访"),
    Channel.API: N_("合作平台接口"),
}
# Channels staff enter by hand; the web mailbox and questionnaires create their own cases.
MANUAL_CHANNELS = (Channel.PHONE, Channel.LETTER, Channel.FORUM, Channel.VISIT, Channel.INSPECTION)


def status_in(statuses):
    """A literal ``status IN (...)`` condition: partial indexes are declared with it and the
    queries use the same text, so the planner can see that the index covers them."""
    values = ", ".join(f"'{s.value}'" for s in sorted(statuses))
    return text(f"status IN ({values})")


def unanswered_only():
    return status_in(UNANSWERED)


def triage_only():
    return status_in(TRIAGE)


def digits_of(text):
    return re.sub(r"\D", "", text or "", flags=re.ASCII)


SEARCH_COLUMNS = ("title", "content", "name", "phone_digits")


class Case(CaseLife, db.Model):
    # Every list is ordered by (due_on, id) and paged by keyset; these indexes give each list
    # its rows in that order without a sort, and the partial ones stay small because most
    # cases are answered (plans: `make bench`; figures in the README).
    __table_args__ = (
        Index("ix_case_due", "due_on", "id"),
        Index("ix_case_unit_due", "unit_id", "due_on", "id"),
        Index("ix_case_unanswered_due", "due_on", "id", postgresql_where=unanswered_only(),
              sqlite_where=unanswered_only()),
        Index("ix_case_unit_unanswered_due", "unit_id", "due_on", "id",
              postgresql_where=unanswered_only(), sqlite_where=unanswered_only()),
        Index("ix_case_triage_due", "due_on", "id", postgresql_where=triage_only(),
              sqlite_where=triage_only()),
        # The triage page's pending extension requests: a handful among a million cases.
        Index("ix_case_extension_pending_due", "due_on", "id",
              postgresql_where=text("extension_days_requested IS NOT NULL"),
              sqlite_where=text("extension_days_requested IS NOT NULL")),
        Index("ix_case_received", "received_on", "unit_id"),
        # Staff search: LIKE '%…%' on these columns, Chinese substrings included, is served by
        # trigrams on PostgreSQL (pg_trgm, created with the table); SQLite scans.
        Index("ix_case_search_trgm", *SEARCH_COLUMNS, postgresql_using="gin",
              postgresql_ops=dict.fromkeys(SEARCH_COLUMNS, "gin_trgm_ops")
              ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    query_code_hash: Mapped[str] = mapped_column(String(64))
    # Hash of the form's one-time key, so a double submission finds the first case.
    submission_key_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20), default=Channel.WEB.value)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id"))
    target_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    title: Mapped[str] = mapped_column(String(100))
    content: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    # The phone's digits alone, kept by ``_phone_digits``: search finds "138 0013 8000" by
    # "13800138000" and by any run of its digits.
    phone_digits: Mapped[str] = mapped_column(String(30), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    publish_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default=Status.SUBMITTED.value)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    received_on: Mapped[date] = mapped_column(Date)
    accept_due_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    calendar_known: Mapped[bool] = mapped_column(Boolean, default=True)
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    # A unit's pending request for more time; the office approves it once per case.
    extension_days_requested: Mapped[int | None] = mapped_column(Integer)
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    citizen_note: Mapped[str] = mapped_column(Text, default="")
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replied_on: Mapped[date | None] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    # Filed through the Open311 API: which partner's key, and the token it was given.
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_key.id"))
    api_token: Mapped[str | None] = mapped_column(String(32), unique=True)

    events = relationship("CaseEvent", order_by="CaseEvent.id", back_populates="case")
    attachments = relationship("Attachment", order_by="Attachment.id", back_populates="case")
    topic = relationship("Topic")
    target_unit = relationship("Unit", foreign_keys=[target_unit_id])
    unit = relationship("Unit", foreign_keys=[unit_id])
    handler = relationship("StaffUser", foreign_keys=[handler_id])
    api_key = relationship("ApiKey")

    @validates("phone")
    def _phone_digits(self, key, value):
        self.phone_digits = digits_of(value)
        return value

    @property
    def anonymous(self):
        return not (self.name or self.phone or self.email or self.address)

    def move_to(self, to, *, role, actor=None, note="", public_note="", at, action=None):
        """Apply one transition of the state machine and record it; the only status writer."""
        check_move(self.status, to, role)
        if Status(to) is Status.CLOSED and self.replied_at is None:
            raise InvalidTransition(N_("没有答复记录的事项不能办结。"))
        event = self._write_event(action or Status(to).value, self.status, to, role=role,
                                  actor=actor, note=note, public_note=public_note, at=at)
        self.status = Status(to).value
        return event

    def record(self, action, *, role, actor=None, note="", public_note="", at):
        """An event that changes no status (a note, an extension, an urge), kept in history."""
        return self._write_event(action, self.status, self.status, role=role, actor=actor,
                                 note=note, public_note=public_note, at=at)

    def _write_event(self, action, from_status, to, *, role, actor, at, note="", public_note=""):
        """The one writer of history rows: who, when, from what, to what, and the notes."""
        event = CaseEvent(
            at=at,
            actor_id=actor.id if actor else None,
            actor_role=Role(role).value,
            action=action,
            from_status=from_status,
            to_status=Status(to).value,
            note=note,
            public_note=public_note,
        )
        self.events.append(event)  # appended, not back-referenced: the cascade adds it
        return event


class CaseEvent(db.Model):
    """One line of a case's history; written once, never edited."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    actor_role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")  # internal: never shown to the citizen
    public_note: Mapped[str] = mapped_column(Text, default="")  # what the citizen reads
    # The unit an assignment sent the case to, so its history line names it.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))

    case = relationship("Case", back_populates="events")
    actor = relationship("StaffUser")
    unit = relationship("Unit")


class StoredFile:
    """The columns of a file kept by ``portal.abuse.uploads``: the random name it has on disk,
    the name its sender gave, its checked type and its size."""

    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(Integer)


class Attachment(StoredFile, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)

    case = relationship("Case", back_populates="attachments")


class CaseCounter(db.Model):
    """Last tracking number issued per year; its row lock serializes concurrent filings."""

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


def find_by_number(number):
    return db.session.scalars(select(Case).where(Case.number == number)).first()


event.listen(Case.__table__, "before_create",
             DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"))


@event.listens_for(CaseEvent, "before_update")
def _history_is_never_edited(mapper, connection, target):
    """History rows are written once: an attempt to change one is a bug, refused loudly."""
    raise InvalidTransition(N_("事项历史不能修改。"))


@event.listens_for(CaseEvent, "before_delete")
def _history_is_never_deleted(mapper, connection, target):
    raise InvalidTransition(N_("事项历史不能删除。"))
