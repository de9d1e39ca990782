"""The rectification ledger (整改台账): each unit's problems, measures and committed deadlines."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import UTCDateTime, db
from models.case import StoredFile
from models.i18n import N_


class Source(StrEnum):
    CASE = "case"
    QUESTIONNAIRE = "questionnaire"
    INSPECTION = "inspection"
    SELF = "self_inspection"


SOURCE_LABELS = {
    Source.CASE: N_("群众反映"),
    Source.QUESTIONNAIRE: N_("问卷调查"),
    Source.INSPECTION: N_("明查暗访"),
    Source.SELF: N_("自查"),
}


class Progress(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    PARTLY = "partly"
    DONE = "done"
    # Conditions not ripe (条件不成熟): cannot be fixed now; the plan and the reason are public.
    NOT_RIPE = "not_ripe"


PROGRESS_LABELS = {
    Progress.NOT_STARTED: N_("未开始"),
    Progress.IN_PROGRESS: N_("整改中"),
    Progress.PARTLY: N_("部分完成"),
    Progress.DONE: N_("已完成"),
    Progress.NOT_RIPE: N_("条件不成熟"),
}


class Problem(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    source: Mapped[str] = mapped_column(String(20))
    source_case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"))
    description: Mapped[str] = mapped_column(Text)
    measures: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(String(50))
    committed_on: Mapped[date] = mapped_column(Date)  # 承诺整改时限
    progress: Mapped[str] = mapped_column(String(20), default=Progress.NOT_STARTED.value)
    evidence: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The office reviews a commitment before the public sees it on /commitments.
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    # For "conditions not ripe": what will be done and when, and why not now; both public.
    unripe_plan: Mapped[str] = mapped_column(Text, default="")
    unripe_reason: Mapped[str] = mapped_column(Text, default="")

    unit = relationship("Unit")
    source_case = relationship("Case")
    reviewed_by = relationship("StaffUser")
    updates = relationship("ProblemUpdate", order_by="ProblemUpdate.id")
    evidence_files = relationship("EvidenceFile", order_by="EvidenceFile.id")

    def overdue(self, today):
        """Past its committed date and not done; a problem whose conditions are not ripe has
        said publicly why it waits, so it is not flagged."""
        waiting = self.progress in (Progress.DONE, Progress.NOT_RIPE)
        return not waiting and self.committed_on < today

    @property
    def published(self):
        return self.reviewed_at is not None


class ProblemUpdate(db.Model):
    """One change of a problem's progress, kept like a case's history."""

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    progress: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")

    actor = relationship("StaffUser")


class EvidenceFile(StoredFile, db.Model):
    """A file proving a rectification (a photo, a scanned notice), checked like a filing's."""

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))


def ledger(campaign_id, unit_id=None, published_only=False):
    """The campaign's problems (one unit's if given; only the reviewed ones for the public)."""
    stmt = select(Problem).where(Problem.campaign_id == campaign_id)
    if unit_id is not None:
        stmt = stmt.where(Problem.unit_id == unit_id)
    if published_only:
        stmt = stmt.where(Problem.reviewed_at.is_not(None))
    return db.session.scalars(stmt.order_by(Problem.unit_id, Problem.committed_on, Problem.id)).all()
