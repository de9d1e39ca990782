"""Self-assessment reports: units write and submit them, the office reviews and sums them up."""

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from models import DomainError, ReportStatus, Role, Unit, current_campaign, db, utcnow
from models.rectification import ledger
from models.report import SECTION_LABELS, SECTIONS, report_for
from portal.abuse.form_filters import no_control_chars, normalize_newlines
from portal.auth import staff_required
from portal.downloads import self_assessment
from portal.services import reports
from portal.services.clock import local_date
from portal.staff.views import bp


class ReportForm(FlaskForm):
    submit_now = BooleanField(_l("报送评议办（报送后不能修改）"))


for _name in SECTIONS:
    setattr(ReportForm, _name, TextAreaField(SECTION_LABELS[_name], filters=[normalize_newlines],
                                             validators=[Length(max=20000), no_control_chars]))


class ReviewForm(FlaskForm):
    decision = RadioField(_l("审核意见"), choices=[SelectChoice("accept", _l("通过")),
                                                   SelectChoice("return", _l("退回修改"))],
                          validators=[InputRequired(_l("请选择审核意见。"))])
    comment = TextAreaField(_l("意见"), filters=[normalize_newlines],
                            validators=[Length(max=2000), no_control_chars])


def _campaign():
    return current_campaign(local_date(utcnow())) or abort(404)


def _unit(unit_id):
    unit = db.session.get(Unit, unit_id)
    if unit is None or not unit.appraised:
        abort(404)
    if not current_user.is_office and current_user.unit_id != unit.id:
        abort(404)
    return unit


def _page(unit, form=None, review=None, status=200):
    campaign = _campaign()
    report = reports.get_or_new(unit.id, campaign)
    if form is None:
        form = ReportForm(formdata=None, obj=report)
    live = report.figures is None
    figures = reports.figures_for(unit.id, campaign, utcnow()) if live else report.figures
    editable = Role(current_user.role) is Role.LEADER and reports.report_editable(report)
    return render_template(
        "staff/report.html", unit=unit, campaign=campaign, report=report, figures=figures,
        live=live, form=form, editable=editable, sections=SECTIONS, labels=SECTION_LABELS,
        review=review or (ReviewForm(formdata=None) if current_user.is_office
                          and report.status == ReportStatus.SUBMITTED else None),
        today=local_date(utcnow()), late=reports.timeliness_of(report, campaign, utcnow())), status


@bp.get("/reports")
@staff_required()
def reports_index():
    if not current_user.is_office:
        return redirect(url_for("staff.report", unit_id=current_user.unit_id or 0))
    campaign = _campaign()
    units = db.session.query(Unit).filter(Unit.appraised.is_(True), Unit.active.is_(True)).order_by(
        Unit.position).all()
    now = utcnow()
    rows = [(u, r, reports.figures_for(u.id, campaign, now), reports.timeliness_of(r, campaign, now))
            for u in units for r in [report_for(u.id, campaign.id)]]
    return render_template("staff/reports.html", campaign=campaign, rows=rows,
                           today=local_date(utcnow()))


@bp.get("/reports/<int:unit_id>")
@staff_required()
def report(unit_id):
    return _page(_unit(unit_id))


@bp.post("/reports/<int:unit_id>")
@staff_required(Role.LEADER)
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
        db.session.rollback()
        flash(_(str(exc)), "error")
        return _page(unit, form, status=409)
    flash(_("已报送。") if form.submit_now.data else _("已保存。"), "ok")
    return redirect(url_for("staff.report", unit_id=unit.id))


@bp.post("/reports/<int:unit_id>/review")
@staff_required(Role.ADMIN, Role.OFFICE)
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
        db.session.rollback()
        flash(_(str(exc)), "error")
        return _page(unit, review=form, status=409)
    flash(_("已保存。"), "ok")
    return redirect(url_for("staff.report", unit_id=unit.id))


@bp.get("/reports/<int:unit_id>.docx")
@staff_required()
def report_docx(unit_id):
    unit = _unit(unit_id)
    campaign = _campaign()
    report = reports.get_or_new(unit.id, campaign)
    report.unit, report.campaign = unit, campaign
    now = utcnow()
    figures = report.figures or reports.figures_for(unit.id, campaign, now)
    leader, signed_on = reports.sign_off(report)
    body = self_assessment.report_docx(report, figures, current_app.config["PORTAL_BUREAU_NAME"],
                                 problems=ledger(campaign.id, unit.id), today=local_date(now),
                                 leader=leader, signed_on=signed_on)
    db.session.rollback()  # a report never saved stays unsaved
    response = Response(body, mimetype="application/vnd.openxmlformats-officedocument."
                                        "wordprocessingml.document")
    response.headers["Content-Disposition"] = f"attachment; filename=report-{unit.code}.docx"
    return response
