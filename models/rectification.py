"""The rectification ledger (整改台账): each unit's problems, measures and committed deadlines."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import UTCDateTime, db
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


PROGRESS_LABELS = {
    Progress.NOT_STARTED: N_("未开始"),
    Progress.IN_PROGRESS: N_("整改中"),
    Progress.PARTLY: N_("部分完成"),
    Progress.DONE: N_("已完成"),
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

    unit = relationship("Unit")
    source_case = relationship("Case")
    updates = relationship("ProblemUpdate", order_by="ProblemUpdate.id")

    def overdue(self, today):
        return self.progress != Progress.DONE and self.committed_on < today


class ProblemUpdate(db.Model):
    """One change of a problem's progress, kept like a case's history."""

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    progress: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")

    actor = relationship("StaffUser")


def ledger(campaign_id, unit_id=None):
    stmt = select(Problem).where(Problem.campaign_id == campaign_id)
    if unit_id is not None:
        stmt = stmt.where(Problem.unit_id == unit_id)
    return db.session.scalars(stmt.order_by(Problem.unit_id, Problem.committed_on, Problem.id)).all()
