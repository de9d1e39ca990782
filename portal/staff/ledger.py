"""The rectification ledger in the back office: units record problems and progress."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from models import DomainError, Problem, access, current_campaign, db, utcnow
from models.case import find_by_number
from models.org import active_units
from models.rectification import ledger
from portal.auth import staff_required
from portal.services import rectification
from portal.services.clock import local_date
from portal.staff.forms import ProblemForm, ProgressForm
from portal.staff.views import bp
from portal.web.errors import message
from portal.web.language import current_lang


def _units_for_user():
    return access.units_for(current_user, active_units())


def _page(form, status=200):
    today = local_date(utcnow())
    campaign = current_campaign(today)
    problems = ledger(campaign.id, access.case_fence(current_user)) if campaign else []
    return render_template("staff/ledger.html", form=form, problems=problems, today=today,
                           campaign=campaign, progress_form=ProgressForm(formdata=None)), status


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
        form.unit.errors = [message(exc)]
        return _page(form, 400)
    flash(_("已登记。"), "ok")
    return redirect(url_for("staff.ledger_page"))


@bp.post("/ledger/<int:problem_id>")
@staff_required()
def update_problem(problem_id):
    problem = db.session.get(Problem, problem_id)
    if problem is None or not access.may_see_problem(current_user, problem):
        abort(404)
    form = ProgressForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for f in form for e in f.errors), "error")
        return _page(_problem_form_blank(), 400)
    try:
        rectification.update_problem(problem=problem, progress=form.progress.data,
                                     evidence=form.evidence.data or "", note=form.note.data or "",
                                     actor=current_user, now=utcnow())
    except DomainError as exc:
        flash(message(exc), "error")
        return _page(_problem_form_blank(), 409)
    flash(_("已保存。"), "ok")
    return redirect(url_for("staff.ledger_page") + f"#problem-{problem.id}")


def _problem_form_blank():
    form = ProblemForm(formdata=None)
    form.unit.choices = [SelectChoice(u.id, u.display_name(current_lang())) for u in _units_for_user()]
    return form


