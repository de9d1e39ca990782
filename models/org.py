"""The bureau's units, the appraisal topics and the yearly campaign with its phases."""

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import db


class BilingualName:
    """A name kept in Chinese and, where given, in English."""

    def display_name(self, lang):
        return self.name_en if lang == "en" and self.name_en else self.name


class Unit(BilingualName, db.Model):
    """A section (科室) or sub-unit; the bureau itself is the root of the tree."""

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The office itself receives items that name no unit and is never appraised.
    appraised: Mapped[bool] = mapped_column(Boolean, default=True)

    parent = relationship("Unit", remote_side=[id])


class Topic(BilingualName, db.Model):
    """An appraisal topic (评议内容), also the category a citizen files under."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(100), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Campaign(db.Model):
    """One year's democratic appraisal."""

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    report_due_on: Mapped[date] = mapped_column(Date)

    phases = relationship(
        "CampaignPhase", order_by="CampaignPhase.starts_on", cascade="all, delete-orphan"
    )

    def phase_on(self, day):
        """The phase running on ``day``, or None before the start and after the end."""
        return next((p for p in self.phases if p.starts_on <= day <= p.ends_on), None)

    def stage_on(self, day):
        if day < self.starts_on:
            return "upcoming"
        return "finished" if day > self.ends_on else "running"


class CampaignPhase(BilingualName, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    name: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(100), default="")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)


def current_campaign(today):
    """This year's campaign, else the latest earlier one."""
    stmt = select(Campaign).where(Campaign.year <= today.year).order_by(Campaign.year.desc())
    return db.session.scalars(stmt.limit(1)).first()


def active_units():
    stmt = select(Unit).where(Unit.active.is_(True)).order_by(Unit.position, Unit.id)
    return db.session.scalars(stmt).all()


def all_units():
    """Active and inactive, in the same order: lists name a case's unit even when the unit
    has since been made inactive."""
    return db.session.scalars(select(Unit).order_by(Unit.position, Unit.id)).all()


def all_topics():
    return db.session.scalars(select(Topic).order_by(Topic.position, Topic.id)).all()
