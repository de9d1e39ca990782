"""The rectification ledger in the back office: units record problems and progress."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from models import DomainError, Problem, Progress, Source, current_campaign, db, utcnow
from models.case import find_by_number
from models.inspection import findings_of_problems
from models.org import active_units
from models.rectification import PROGRESS_LABELS, SOURCE_LABELS, ledger
from portal.abuse.form_filters import no_control_chars, normalize_newlines, strip_text
from portal.auth import may_see, staff_required
from portal.public.forms import optional_id
from portal.services import rectification
from portal.services.clock import local_date
from portal.staff.views import bp
from portal.web.language import current_lang

TEXT = [Length(max=2000), no_control_chars]


class ProblemForm(FlaskForm):
    unit = SelectField(_l("科室"), coerce=optional_id, validators=[InputRequired(_l("请选择科室。"))])
    source = SelectField(_l("问题来源"), choices=[SelectChoice(s.value, SOURCE_LABELS[s])
                                                  for s in Source])
    case_number = StringField(_l("相关事项编号（可选）"), filters=[strip_text],
                              validators=[Length(max=32), no_control_chars])
    description = TextAreaField(_l("问题"), filters=[normalize_newlines],
                                validators=[DataRequired(_l("请描述问题。")), *TEXT])
    measures = TextAreaField(_l("整改措施"), filters=[normalize_newlines],
                             validators=[DataRequired(_l("请填写整改措施。")), *TEXT])
    responsible = StringField(_l("责任人"), filters=[strip_text], validators=[
        DataRequired(_l("请填写责任人。")), Length(max=50), no_control_chars])
    committed_on = DateField(_l("承诺整改时限"), validators=[InputRequired(_l("请填写有效的日期。"))])


class ProgressForm(FlaskForm):
    progress = SelectField(_l("进展"), choices=[SelectChoice(p.value, PROGRESS_LABELS[p])
                                                for p in Progress])
    evidence = TextAreaField(_l("整改佐证"), filters=[normalize_newlines], validators=TEXT)
    note = TextAreaField(_l("说明"), filters=[normalize_newlines],
                         validators=[Optional(), *TEXT])


def _units_for_user():
    units = [u for u in active_units() if u.appraised]
    return units if current_user.is_office else [u for u in units if u.id == current_user.unit_id]


def _page(form, status=200):
    today = local_date(utcnow())
    campaign = current_campaign(today)
    unit_id = None if current_user.is_office else (current_user.unit_id or -1)
    problems = ledger(campaign.id, unit_id) if campaign else []
    return render_template("staff/ledger.html", form=form, problems=problems, today=today,
                           campaign=campaign, progress_form=ProgressForm(formdata=None),
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
    if form.case_number.data and (case is None or not may_see(current_user, case)):
        form.case_number.errors = [_("没有找到该科室的这个事项。")]
        return _page(form, 400)
    try:
        rectification.add_problem(
            unit_id=form.unit.data, campaign=campaign, source=form.source.data,
            description=form.description.data, measures=form.measures.data,
            responsible=form.responsible.data, committed_on=form.committed_on.data,
            actor=current_user, source_case=case, now=utcnow())
    except DomainError as exc:
        db.session.rollback()
        form.unit.errors = [str(exc)]
        return _page(form, 400)
    flash(_("已登记。"), "ok")
    return redirect(url_for("staff.ledger_page"))


@bp.post("/ledger/<int:problem_id>")
@staff_required()
def update_problem(problem_id):
    problem = db.session.get(Problem, problem_id)
    if problem is None or not (current_user.is_office or problem.unit_id == current_user.unit_id):
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
        db.session.rollback()
        flash(str(exc), "error")
        return _page(_problem_form_blank(), 409)
    flash(_("已保存。"), "ok")
    return redirect(url_for("staff.ledger_page") + f"#problem-{problem.id}")


def _problem_form_blank():
    form = ProblemForm(formdata=None)
    form.unit.choices = [SelectChoice(u.id, u.display_name(current_lang())) for u in _units_for_user()]
    return form


