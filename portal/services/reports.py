"""Self-assessment reports: figures from the data, four narrative sections, the office's review."""

from flask import current_app
from sqlalchemy import select

from models import (
    DomainError,
    ReportStatus,
    SelfReport,
    StaffUser,
    access,
    all_topics,
    db,
    figure_rollup,
    load_calendar,
)
from models.i18n import N_
from models.rectification import ledger
from models.report import SECTIONS, report_for, timeliness
from models.report_figures import unit_figures, units_figures
from portal.downloads import self_assessment
from portal.services.clock import local_date
from portal.services.transaction import rolls_back


def figures_for(unit_id, campaign, now, *, live=True):
    """The unit's figures: ``live`` computed from the cases now (what a submitted report
    freezes), else for a page from the roll-up where there is one (see ``figures_as_of``)."""
    from_rollup = not live and current_app.config["FIGURES_FROM_ROLLUP"]
    return unit_figures(unit_id, campaign, all_topics(), load_calendar(), local_date(now),
                        from_rollup)


def summary_figures(unit_ids, campaign, now):
    """The office's summary: every unit's page figures, the topics and calendar read once."""
    topics, calendar, today = all_topics(), load_calendar(), local_date(now)
    rollup = current_app.config["FIGURES_FROM_ROLLUP"]
    return units_figures(unit_ids, campaign, topics, calendar, today, rollup)


def figures_as_of():
    """When the rolled-up figures were computed; None when pages compute them directly."""
    if not current_app.config["FIGURES_FROM_ROLLUP"]:
        return None
    return figure_rollup.refreshed_at(db.session)


def timeliness_of(report, campaign, now):
    """Whether ``report`` (None: not started) came in late or is overdue, in local dates."""
    firsts = [e.at for e in (report.events if report else [])
              if e.to_status == ReportStatus.SUBMITTED.value]
    first_on = local_date(min(firsts)) if firsts else None
    return timeliness(first_on, campaign.report_due_on, local_date(now))


def get_or_new(unit_id, campaign):
    return report_for(unit_id, campaign.id) or SelfReport(
        unit_id=unit_id, campaign_id=campaign.id, status=ReportStatus.DRAFT.value)


def report_editable(report):
    return report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


def _editable(report, actor):
    if not access.may_write_report(actor, report.unit_id):
        raise DomainError(N_("报告由本科室负责人填写。"))
    if not report_editable(report):
        raise DomainError(N_("报告已报送，不能再修改。"))


@rolls_back
def save_report(*, unit_id, campaign, sections, actor, submit, now):
    """Save the narrative; with ``submit`` the figures are frozen and the office is told."""
    report = get_or_new(unit_id, campaign)
    _editable(report, actor)
    for name in SECTIONS:
        setattr(report, name, sections.get(name, ""))
    db.session.add(report)
    if submit:
        missing = [name for name in SECTIONS if not getattr(report, name).strip()]
        if missing:
            raise DomainError(N_("报送前请填写全部四个部分。"))
        report.figures = figures_for(unit_id, campaign, now)
        report.submitted_at = now
        report.move_to(ReportStatus.SUBMITTED, actor=actor, at=now)
    db.session.commit()
    return report


@rolls_back
def review_report(*, report, accept, comment, actor, now):
    """The office accepts the report, or returns it with what to change."""
    if not access.is_office(actor):
        raise DomainError(N_("报告由评议办审核。"))
    if not accept and not comment.strip():
        raise DomainError(N_("退回时请写明修改意见。"))
    report.move_to(ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED, actor=actor,
                   note=comment, at=now)
    report.office_comment, report.decided_at = comment, now
    db.session.commit()
    return report


def sign_off(report):
    """Who signs the Word file and when: the leader who submitted it, on that day; a report not
    (or no longer) submitted names the unit's leaders and leaves the date to fill in by hand."""
    submitted = [e for e in report.events if e.to_status == ReportStatus.SUBMITTED.value]
    if submitted and report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
        return submitted[-1].actor.name, local_date(submitted[-1].at)
    leaders = db.session.scalars(select(StaffUser.name).where(
        StaffUser.unit_id == report.unit_id, StaffUser.role.in_([r.value for r in access.LEADER_ROLES]),
        StaffUser.active.is_(True)).order_by(StaffUser.id)).all()
    return "、".join(leaders), None


def report_document(*, unit, campaign, bureau, now):
    """The unit's report as a Word file, saved or not: an unsaved draft (made up here for the
    file, and tied to the unit so that it names it) is thrown away again, never stored."""
    report = get_or_new(unit.id, campaign)
    report.unit, report.campaign = unit, campaign
    figures = report.figures or figures_for(unit.id, campaign, now)
    leader, signed_on = sign_off(report)
    body = self_assessment.report_docx(report, figures, bureau,
                                       problems=ledger(campaign.id, unit.id),
                                       today=local_date(now), leader=leader, signed_on=signed_on)
    db.session.rollback()
    return body
