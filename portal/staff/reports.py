"""Self-assessment reports: units write and submit them, the office reviews and sums them up."""

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from models import (
    DomainError,
    ReportStatus,
    Unit,
    access,
    active_units,
    current_campaign,
    db,
    utcnow,
)
from models.report import SECTION_LABELS, SECTIONS, report_for
from portal.auth import staff_required
from portal.services import reports
from portal.services.clock import local_date
from portal.staff.forms import ReportForm, ReviewForm
from portal.staff.views import bp
from portal.web.errors import message


def _campaign():
    return current_campaign(local_date(utcnow())) or abort(404)


def _unit(unit_id):
    unit = db.session.get(Unit, unit_id)
    if unit is None or not access.receives_cases(unit):
        abort(404)
    if not access.may_see_unit(current_user, unit.id):
        abort(404)
    return unit


def _page(unit, form=None, review=None, status=200):
    campaign = _campaign()
    report = reports.get_or_new(unit.id, campaign)
    if form is None:
        form = ReportForm(formdata=None, obj=report)
    live = report.figures is None
    figures = reports.figures_for(unit.id, campaign, utcnow(), live=False) if live else report.figures
    editable = access.may_write_report(current_user, unit.id) and reports.report_editable(report)
    return render_template(
        "staff/report.html", unit=unit, campaign=campaign, report=report, figures=figures,
        live=live, as_of=reports.figures_as_of() if live else None, form=form, editable=editable, sections=SECTIONS, labels=SECTION_LABELS,
        review=review or (ReviewForm(formdata=None) if access.is_office(current_user)
                          and report.status == ReportStatus.SUBMITTED else None),
        today=local_date(utcnow()), late=reports.timeliness_of(report, campaign, utcnow())), status


@bp.get("/reports")
@staff_required()
def reports_index():
    if not access.is_office(current_user):
        return redirect(url_for("staff.report", unit_id=current_user.unit_id or 0))
    campaign = _campaign()
    units = access.receiving_units(active_units())
    now = utcnow()
    figures = reports.summary_figures([u.id for u in units], campaign, now)
    rows = [(u, r, figures[u.id], reports.timeliness_of(r, campaign, now))
            for u in units for r in [report_for(u.id, campaign.id)]]
    return render_template("staff/reports.html", campaign=campaign, rows=rows,
                           as_of=reports.figures_as_of(),
                           today=local_date(utcnow()))


@bp.get("/reports/<int:unit_id>")
@staff_required()
def report(unit_id):
    return _page(_unit(unit_id))


@bp.post("/reports/<int:unit_id>")
@staff_required(*access.LEADER_ROLES)
def save_report(unit_id):
    unit = _unit(unit_id)
    form = ReportForm()
    if not form.validate_on_submit():
        return _page(unit, form, status=400)
    try:
        reports.save_report(unit_id=unit.id, campaign=_campaign(),
                            sections={n: form[n].data or "" for n in SECTIONS},
                            actor=current_user, submit=form.submit_now.data, now=utcnow())
    except DomainError as exc:
        flash(message(exc), "error")
        return _page(unit, form, status=409)
    flash(_("已报送。") if form.submit_now.data else _("已保存。"), "ok")
    return redirect(url_for("staff.report", unit_id=unit.id))


@bp.post("/reports/<int:unit_id>/review")
@staff_required(*access.OFFICE_ROLES)
def review_report(unit_id):
    unit = _unit(unit_id)
    report = report_for(unit.id, _campaign().id) or abort(404)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _page(unit, review=form, status=400)
    try:
        reports.review_report(report=report, accept=form.decision.data == "accept",
                              comment=form.comment.data or "", actor=current_user, now=utcnow())
    except DomainError as exc:
        flash(message(exc), "error")
        return _page(unit, review=form, status=409)
    flash(_("已保存。"), "ok")
    return redirect(url_for("staff.report", unit_id=unit.id))


@bp.get("/reports/<int:unit_id>.docx")
@staff_required()
def report_docx(unit_id):
    unit = _unit(unit_id)
    body = reports.report_document(unit=unit, campaign=_campaign(),
                                   bureau=current_app.config["PORTAL_BUREAU_NAME"], now=utcnow())
    response = Response(body, mimetype="application/vnd.openxmlformats-officedocument."
                                        "wordprocessingml.document")
    response.headers["Content-Disposition"] = f"attachment; filename=report-{unit.code}.docx"
    return response
