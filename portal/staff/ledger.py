"""The rectification ledger in the back office: units record problems, progress and evidence;
the office reviews each commitment before the public sees it."""

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from models import (
    DomainError,
    EvidenceFile,
    Problem,
    Progress,
    access,
    current_campaign,
    db,
    utcnow,
)
from models.case import find_by_number
from models.inspection import findings_of_problems
from models.org import active_units
from models.rectification import PROGRESS_LABELS, ledger
from portal.abuse import uploads
from portal.auth import staff_required
from portal.services import rectification
from portal.services.clock import local_date
from portal.staff.forms import ProblemForm, ProgressForm
from portal.staff.views import bp
from portal.web.errors import message
from portal.web.form_base import FlaskForm
from portal.web.language import current_lang


def _units_for_user():
    return access.units_for(current_user, active_units())


def _page(form, status=200, failed=None):
    """The ledger; ``failed`` is (problem id, its progress form) after a refused update, so the
    form that was sent comes back open with what was typed and the errors."""
    today = local_date(utcnow())
    campaign = current_campaign(today)
    problems = ledger(campaign.id, access.case_fence(current_user)) if campaign else []
    failed_id, failed_form = failed or (None, None)
    return render_template("staff/ledger.html", form=form, problems=problems, today=today,
                           campaign=campaign, progress_form=ProgressForm(formdata=None),
                           failed_id=failed_id, failed_form=failed_form,
                           record_of=findings_of_problems([p.id for p in problems])), status


def _problem_form():
    form = ProblemForm()
    form.unit.choices = [SelectChoice(u.id, u.display_name(current_lang())) for u in _units_for_user()]
    return form


@bp.get("/ledger")
@staff_required()
def ledger_page():
    return _page(_problem_form())


@bp.post("/ledger")
@staff_required()
def add_problem():
    form = _problem_form()
    campaign = current_campaign(local_date(utcnow()))
    if campaign is None or not form.validate_on_submit():
        return _page(form, 400)
    case = find_by_number(form.case_number.data.upper()) if form.case_number.data else None
    if form.case_number.data and (case is None or not access.may_see(current_user, case)):
        form.case_number.errors = [_("没有找到该科室的这个事项。")]
        return _page(form, 400)
    try:
        rectification.add_problem(
            unit_id=form.unit.data, campaign=campaign, source=form.source.data,
            description=form.description.data, measures=form.measures.data,
            responsible=form.responsible.data, committed_on=form.committed_on.data,
            actor=current_user, source_case=case, now=utcnow())
    except DomainError as exc:
        getattr(form, getattr(exc, "field", "unit")).errors = [message(exc)]
        return _page(form, 400)
    flash(_("已登记，待评议办审核后向社会公开。"), "ok")
    return redirect(url_for("staff.ledger_page"))


def _own_problem(problem_id):
    problem = db.session.get(Problem, problem_id)
    if problem is None or not access.may_see_problem(current_user, problem):
        abort(404)
    return problem


@bp.post("/ledger/<int:problem_id>")
@staff_required()
def update_problem(problem_id):
    problem = _own_problem(problem_id)
    form = ProgressForm()
    if not form.validate_on_submit():
        return _page(_problem_form_blank(), 400, failed=(problem.id, form))
    try:
        rectification.update_problem(problem=problem, progress=form.progress.data,
                                     evidence=form.evidence.data or "", note=form.note.data or "",
                                     files=form.prepared, plan=form.unripe_plan.data or "",
                                     reason=form.unripe_reason.data or "",
                                     actor=current_user, now=utcnow())
    except DomainError as exc:
        getattr(form, getattr(exc, "field", "progress")).errors = [message(exc)]
        return _page(_problem_form_blank(), 400, failed=(problem.id, form))
    flash(_("已更新进展：%(progress)s。", progress=_(PROGRESS_LABELS[Progress(problem.progress)])),
          "ok")
    return redirect(url_for("staff.ledger_page") + f"#problem-{problem.id}")


@bp.post("/ledger/<int:problem_id>/review")
@staff_required(*access.OFFICE_ROLES)
def review_problem(problem_id):
    problem = _own_problem(problem_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        rectification.review_problem(problem=problem, actor=current_user, now=utcnow())
    except DomainError as exc:
        flash(message(exc), "error")
        return _page(_problem_form_blank(), 409)
    flash(_("已审核，该整改承诺已在“整改承诺”页公开。"), "ok")
    return redirect(url_for("staff.ledger_page") + f"#problem-{problem.id}")


@bp.get("/ledger/evidence/<int:file_id>")
@staff_required()
def evidence_file(file_id):
    item = db.session.get(EvidenceFile, file_id) or abort(404)
    _own_problem(item.problem_id)
    path = Path(current_app.config["UPLOAD_FOLDER"]) / item.stored_name
    response = send_file(path, mimetype=item.mime, as_attachment=True)
    response.headers["Content-Disposition"] = uploads.content_disposition(item.original_name,
                                                                          item.mime)
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "no-store"
    return response


def _problem_form_blank():
    form = ProblemForm(formdata=None)
    form.unit.choices = [SelectChoice(u.id, u.display_name(current_lang())) for u in _units_for_user()]
    return form
