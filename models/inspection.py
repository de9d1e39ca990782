"""Inspections and hearings as records (明查暗访, 座谈会, 走访, 征求意见函), their findings per
section, and the codes that let work-style supervisors (行风监督员) report without signing in.

Each finding ends as exactly one thing: a problem on its section's rectification ledger or a case
routed to the section. The finding holds the link (``problem_id`` or ``case_id``), and the
look-ups below give the way back from a problem or a case to its record.
"""

import secrets
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, String, Text, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import UTCDateTime, db
from models.i18n import N_
from models.typed_codes import normalize_code


class InspectionKind(StrEnum):
    INSPECTION = "inspection"
    FORUM = "forum"
    VISIT = "visit"
    LETTER = "letter"


INSPECTION_KIND_LABELS = {
    InspectionKind.INSPECTION: N_("明查暗访"),
    InspectionKind.FORUM: N_("座谈会"),
    InspectionKind.VISIT: N_("走访"),
    InspectionKind.LETTER: N_("征求意见函"),
}


class Outcome(StrEnum):
    PROBLEM = "problem"
    CASE = "case"


OUTCOME_LABELS = {
    Outcome.PROBLEM: N_("已列入整改台账"),
    Outcome.CASE: N_("已转为事项交办"),
}

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class SupervisorCode(db.Model):
    """A supervisor's code for one campaign: used for any number of reports until revoked."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))  # shown to the office only
    organisation: Mapped[str] = mapped_column(String(100), default="")
    code: Mapped[str] = mapped_column(String(12), unique=True)  # typed from a paper letter
    token: Mapped[str] = mapped_column(String(32), unique=True)  # in the personal link
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    campaign = relationship("Campaign")


def new_code_values():
    """A fresh (code, token) pair; the unique columns catch the rare repeat."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return code, secrets.token_hex(16)


def find_supervisor_code(code=None, token=None):
    if token is not None:
        stmt = select(SupervisorCode).where(SupervisorCode.token == token)
    else:
        stmt = select(SupervisorCode).where(SupervisorCode.code == normalize_code(code))
    return db.session.scalars(stmt).first()


def supervisor_codes(campaign_id):
    stmt = select(SupervisorCode).where(SupervisorCode.campaign_id == campaign_id)
    return db.session.scalars(stmt.order_by(SupervisorCode.id)).all()


class Inspection(db.Model):
    """One inspection, meeting, visit or letter campaign, entered by the office or reported by
    a supervisor (then ``supervisor_code_id`` says who, for the office's eyes only)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    participants: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    supervisor_code_id: Mapped[int | None] = mapped_column(ForeignKey("supervisor_code.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    findings = relationship("Finding", order_by="Finding.id", back_populates="inspection")
    recorded_by = relationship("StaffUser")
    supervisor = relationship("SupervisorCode")

    @property
    def open_findings(self):
        return sum(1 for f in self.findings if f.outcome is None)


class Finding(db.Model):
    """What was found about one section; decided once into a problem or a case."""

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    text: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(20))
    problem_id: Mapped[int | None] = mapped_column(ForeignKey("problem.id"), unique=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), unique=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    inspection = relationship("Inspection", back_populates="findings")
    unit = relationship("Unit")
    problem = relationship("Problem")
    case = relationship("Case")


def claim_finding(finding_id, outcome, actor_id, now):
    """Mark the finding decided in the caller's transaction; False if it already was.

    A conditional UPDATE, as for questionnaire invitations: of two simultaneous decisions one
    matches the undecided row and the other, after waiting for its lock, matches nothing.
    """
    claim = (update(Finding)
             .where(Finding.id == finding_id, Finding.outcome.is_(None))
             .values(outcome=Outcome(outcome).value, decided_at=now, decided_by_id=actor_id)
             .execution_options(synchronize_session="evaluate"))
    return db.session.execute(claim).rowcount == 1


def inspections(campaign_id):
    stmt = select(Inspection).where(Inspection.campaign_id == campaign_id)
    return db.session.scalars(stmt.order_by(Inspection.held_on.desc(), Inspection.id.desc())).all()


def finding_of_case(case_id):
    """The finding a case came from, or None: the way back from a case to its record."""
    return db.session.scalars(select(Finding).where(Finding.case_id == case_id)).first()


def findings_of_problems(problem_ids):
    """{problem id: finding} for those of ``problem_ids`` that came from a record."""
    if not problem_ids:
        return {}
    stmt = select(Finding).where(Finding.problem_id.in_(list(problem_ids)))
    return {f.problem_id: f for f in db.session.scalars(stmt)}
