"""The rectification ledger in the back office: units record problems, progress and evidence;
the office reviews each commitment before the public sees it."""

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from models import (
    DomainError,
    EvidenceFile,
    Problem,
    Progress,
    Role,
    Source,
    current_campaign,
    db,
    utcnow,
)
from models.case import find_by_number
from models.org import active_units
from models.rectification import PROGRESS_LABELS, SOURCE_LABELS, ledger
from portal.abuse import uploads
from portal.abuse.form_filters import (
    PlainDateField,
    no_control_chars,
    normalize_newlines,
    strip_text,
)
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
    committed_on = PlainDateField(_l("承诺整改时限"), validators=[InputRequired(_l("请填写有效的日期。"))])


class ProgressForm(FlaskForm):
    prepared = ()  # evidence files of this request that passed the checks
    progress = SelectField(_l("进展"), choices=[SelectChoice(p.value, PROGRESS_LABELS[p])
                                                for p in Progress])
    evidence = TextAreaField(_l("整改佐证"), filters=[normalize_newlines], validators=TEXT)
    evidence_files = MultipleFileField(_l("佐证材料（JPG、PNG 或 PDF）"))
    unripe_plan = TextAreaField(_l("下一步计划（条件不成熟时必填，向社会公开）"),
                                filters=[normalize_newlines], validators=TEXT)
    unripe_reason = TextAreaField(_l("原因说明（条件不成熟时必填，向社会公开）"),
                                  filters=[normalize_newlines], validators=TEXT)
    note = TextAreaField(_l("说明"), filters=[normalize_newlines],
                         validators=[Optional(), *TEXT])

    def validate_evidence_files(self, field):
        """The same checks as a filing's attachments: type by content, images re-encoded."""
        uploads.check_file_field(self, field)


def _units_for_user():
    units = [u for u in active_units() if u.appraised]
    return units if current_user.is_office else [u for u in units if u.id == current_user.unit_id]


def _page(form, status=200, failed=None):
    """The ledger; ``failed`` is (problem id, its progress form) after a refused update, so the
    form that was sent comes back open with what was typed and the errors."""
    today = local_date(utcnow())
    campaign = current_campaign(today)
    unit_id = None if current_user.is_office else (current_user.unit_id or -1)
    problems = ledger(campaign.id, unit_id) if campaign else []
    failed_id, failed_form = failed or (None, None)
    return render_template("staff/ledger.html", form=form, problems=problems, today=today,
                           campaign=campaign, progress_form=ProgressForm(formdata=None),
                           failed_id=failed_id, failed_form=failed_form), status


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
        getattr(form, getattr(exc, "field", "unit")).errors = [str(exc)]
        return _page(form, 400)
    flash(_("已登记，待评议办审核后向社会公开。"), "ok")
    return redirect(url_for("staff.ledger_page"))


def _own_problem(problem_id):
    problem = db.session.get(Problem, problem_id)
    if problem is None or not (current_user.is_office or problem.unit_id == current_user.unit_id):
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
        db.session.rollback()
        getattr(form, getattr(exc, "field", "progress")).errors = [str(exc)]
        return _page(_problem_form_blank(), 400, failed=(problem.id, form))
    flash(_("已更新进展：%(progress)s。", progress=_(PROGRESS_LABELS[Progress(problem.progress)])),
          "ok")
    return redirect(url_for("staff.ledger_page") + f"#problem-{problem.id}")


@bp.post("/ledger/<int:problem_id>/review")
@staff_required(Role.ADMIN, Role.OFFICE)
def review_problem(problem_id):
    problem = _own_problem(problem_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        rectification.review_problem(problem=problem, actor=current_user, now=utcnow())
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc), "error")
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
