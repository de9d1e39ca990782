"""Each unit's self-assessment report (自评报告) per campaign, and its review by the office."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import DomainError, UTCDateTime, db
from models.i18n import N_


class ReportStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"


REPORT_LABELS = {
    ReportStatus.DRAFT: N_("草稿"),
    ReportStatus.SUBMITTED: N_("已报送"),
    ReportStatus.RETURNED: N_("已退回修改"),
    ReportStatus.ACCEPTED: N_("已通过"),
}
REPORT_MOVES = {
    ReportStatus.DRAFT: {ReportStatus.SUBMITTED},
    ReportStatus.RETURNED: {ReportStatus.SUBMITTED},
    ReportStatus.SUBMITTED: {ReportStatus.RETURNED, ReportStatus.ACCEPTED},
    ReportStatus.ACCEPTED: set(),
}
SECTIONS = ("basic_situation", "main_opinions", "main_problems", "rectification")
SECTION_LABELS = {
    "basic_situation": N_("开展民主评议工作的基本情况"),
    "main_opinions": N_("调查和反馈的主要意见建议"),
    "main_problems": N_("存在的主要问题"),
    "rectification": N_("整改落实情况"),
}


# A report's timeliness, as the office's list shows it.
LATE = "late"  # submitted, but after the due date: stays so after a return and resubmission
OVERDUE = "overdue"  # not submitted yet and the due date has passed
TIMELINESS_LABELS = {LATE: N_("逾期报送"), OVERDUE: N_("已超过报送期限")}


def timeliness(first_submitted_on, due_on, today):
    """LATE, OVERDUE or None. What counts is the day the report first reached the office: a
    return for changes does not make an on-time report late, nor a late one on time."""
    if first_submitted_on is not None:
        return LATE if first_submitted_on > due_on else None
    return OVERDUE if today > due_on else None


class SelfReport(db.Model):
    __table_args__ = (UniqueConstraint("unit_id", "campaign_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    status: Mapped[str] = mapped_column(String(20), default=ReportStatus.DRAFT.value)
    basic_situation: Mapped[str] = mapped_column(Text, default="")
    main_opinions: Mapped[str] = mapped_column(Text, default="")
    main_problems: Mapped[str] = mapped_column(Text, default="")
    rectification: Mapped[str] = mapped_column(Text, default="")
    # The figures as they stood when the report was submitted, so an accepted report never
    # changes under the office's feet.
    figures: Mapped[dict | None] = mapped_column(JSON)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    office_comment: Mapped[str] = mapped_column(Text, default="")

    unit = relationship("Unit")
    campaign = relationship("Campaign")
    events = relationship("ReportEvent", order_by="ReportEvent.id")

    def move_to(self, to, *, actor, note="", at):
        """The only writer of a report's status; every move is kept."""
        if ReportStatus(to) not in REPORT_MOVES[ReportStatus(self.status)]:
            raise DomainError(N_("报告当前状态下不能进行此操作。"))
        self.events.append(ReportEvent(at=at, actor_id=actor.id, from_status=self.status,
                                       to_status=ReportStatus(to).value, note=note))
        self.status = ReportStatus(to).value


class ReportEvent(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("self_report.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")

    actor = relationship("StaffUser")


def report_for(unit_id, campaign_id):
    stmt = select(SelfReport).where(SelfReport.unit_id == unit_id,
                                    SelfReport.campaign_id == campaign_id)
    return db.session.scalars(stmt).first()
