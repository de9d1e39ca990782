"""Inspection and hearing records in the back office (office and administrator): entering a
record, turning each finding into a ledger problem or a routed case, supervisors' codes."""

from functools import wraps

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from models import DomainError, access, all_topics, current_campaign, db, utcnow
from models.access import may_keep_inspections
from models.inspection import Finding, Inspection, SupervisorCode, inspections, supervisor_codes
from models.org import active_units
from portal.auth import staff_required
from portal.services import inspections as service
from portal.services.clock import local_date
from portal.staff.appraisal import portal_url
from portal.staff.forms.inspections import (
    CaseFromFindingForm,
    CodeForm,
    ProblemFromFindingForm,
    RevokeForm,
    record_form,
)
from portal.staff.views import bp
from portal.web.errors import message
from portal.web.language import current_lang


def office_only(view):
    """Signed-in staff whom models/access.py lets keep inspection records; others get 403."""

    @staff_required()
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not may_keep_inspections(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _campaign():
    return current_campaign(local_date(utcnow()))


def _units():
    return access.receiving_units(active_units())


@bp.get("/inspections")
@office_only
def inspections_list():
    campaign = _campaign()
    records = inspections(campaign.id) if campaign else []
    return render_template("staff/inspections.html", campaign=campaign, records=records)


@bp.route("/inspections/new", methods=["GET", "POST"])
@office_only
def new_inspection():
    form, campaign = record_form(_units()), _campaign()
    if campaign is None or not form.validate_on_submit():
        return _record_page(form, campaign, 400 if request.method == "POST" else 200)
    findings = {unit.id: f.data for unit, f in form.finding_fields}
    try:
        record = service.record_inspection(
            campaign=campaign, kind=form.kind.data, held_on=form.held_on.data,
            place=form.place.data, participants=form.participants.data or "",
            findings=findings, actor=current_user, now=utcnow())
    except DomainError as exc:
        form.form_errors.append(message(exc))
        return _record_page(form, campaign, 400)
    flash(_("已登记检查记录，共 %(n)d 条发现。", n=len(record.findings)), "ok")
    return redirect(url_for("staff.inspection", record_id=record.id))


def _record_page(form, campaign, status):
    return render_template("staff/inspection_new.html", form=form, campaign=campaign), status


def _case_form(blank=False):
    form = CaseFromFindingForm(formdata=None) if blank else CaseFromFindingForm()
    form.topic.choices = [SelectChoice("", _("请选择"))] + [
        SelectChoice(t.id, t.display_name(current_lang())) for t in all_topics()]
    return form


def _detail(record, failed=None, status=200):
    """The record with a blank pair of forms for each open finding, or the one that failed."""
    forms = {}
    for finding in record.findings:
        if finding.outcome is None:
            forms[finding.id] = {"problem": ProblemFromFindingForm(formdata=None),
                                 "case": _case_form(blank=True)}
    if failed is not None:
        finding_id, which, form = failed
        forms.setdefault(finding_id, {})[which] = form
    return render_template("staff/inspection.html", record=record, forms=forms), status


@bp.get("/inspections/<int:record_id>")
@office_only
def inspection(record_id):
    return _detail(db.session.get(Inspection, record_id) or abort(404))


def _finding(finding_id):
    return db.session.get(Finding, finding_id) or abort(404)


@bp.post("/inspections/findings/<int:finding_id>/problem")
@office_only
def finding_problem(finding_id):
    finding = _finding(finding_id)
    form = ProblemFromFindingForm()
    if not form.validate_on_submit():
        return _detail(finding.inspection, (finding.id, "problem", form), 400)
    try:
        service.finding_to_problem(finding=finding, measures=form.measures.data,
                                   responsible=form.responsible.data,
                                   committed_on=form.committed_on.data, actor=current_user,
                                   now=utcnow())
    except DomainError as exc:
        flash(message(exc), "error")  # the finding's forms are gone once it is decided
        return _detail(finding.inspection, (finding.id, "problem", form), 409)
    flash(_("已列入%(unit)s的整改台账。", unit=finding.unit.display_name(current_lang())), "ok")
    return redirect(url_for("staff.inspection", record_id=finding.inspection_id)
                    + f"#finding-{finding.id}")


@bp.post("/inspections/findings/<int:finding_id>/case")
@office_only
def finding_case(finding_id):
    finding = _finding(finding_id)
    form = _case_form()
    if not form.validate_on_submit():
        return _detail(finding.inspection, (finding.id, "case", form), 400)
    try:
        case, assigned = service.finding_to_case(
            finding=finding, kind=form.kind.data, topic_id=form.topic.data,
            title=form.title.data, actor=current_user, now=utcnow())
    except DomainError as exc:
        flash(message(exc), "error")
        return _detail(finding.inspection, (finding.id, "case", form), 409)
    unit = finding.unit.display_name(current_lang())
    if assigned:
        flash(_("已转为事项 %(number)s，已受理并交办至%(unit)s。", number=case.number, unit=unit), "ok")
    else:
        flash(_("已转为事项 %(number)s 并受理；举报件不交办给被举报的%(unit)s，请由评议办处理或交办给其他科室。",
                number=case.number, unit=unit), "ok")
    return redirect(url_for("staff.inspection", record_id=finding.inspection_id)
                    + f"#finding-{finding.id}")


def _codes_page(form, status=200):
    campaign = _campaign()
    codes = supervisor_codes(campaign.id) if campaign else []
    return render_template("staff/supervisors.html", form=form, campaign=campaign, codes=codes,
                           revoke_form=RevokeForm(formdata=None), portal_url=portal_url), status


@bp.route("/supervisors", methods=["GET", "POST"])
@office_only
def supervisors():
    form, campaign = CodeForm(), _campaign()
    if campaign is None or not form.validate_on_submit():
        return _codes_page(form, 400 if request.method == "POST" else 200)
    try:
        code = service.issue_code(campaign=campaign, name=form.name.data,
                                  organisation=form.organisation.data or "", actor=current_user,
                                  now=utcnow())
    except DomainError as exc:
        form.form_errors.append(message(exc))
        return _codes_page(form, 409)
    flash(_("已为%(name)s生成监督员码 %(code)s。", name=code.name, code=code.code), "ok")
    return redirect(url_for("staff.supervisors"))


@bp.post("/supervisors/<int:code_id>/revoke")
@office_only
def revoke_supervisor(code_id):
    code = db.session.get(SupervisorCode, code_id) or abort(404)
    if not RevokeForm().validate_on_submit():
        abort(400)
    try:
        service.revoke_code(code=code, actor=current_user, now=utcnow())
    except DomainError as exc:
        flash(message(exc), "error")
        return _codes_page(CodeForm(formdata=None), 409)
    flash(_("已停用%(name)s的监督员码 %(code)s。", name=code.name, code=code.code), "ok")
    return redirect(url_for("staff.supervisors"))
