"""The office runs questionnaires: creating, inviting, letters, opening, results, exports."""

import io

import segno
from flask import Response as HttpResponse
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from models import (
    DomainError,
    Invitation,
    Questionnaire,
    access,
    all_topics,
    current_campaign,
    db,
    utcnow,
)
from models.appraisal import responses_count, results_table, tallies
from models.org import active_units
from portal.auth import staff_required
from portal.downloads import results as results_files
from portal.services import appraisal
from portal.services.clock import local_date
from portal.staff.forms import ConfirmForm, InviteForm, QuestionnaireForm, UploadForm
from portal.staff.views import bp
from portal.web.charts import bar_chart
from portal.web.errors import message
from portal.web.language import current_lang


def _questionnaire(qid):
    return db.session.get(Questionnaire, qid) or abort(404)


@bp.route("/appraisal", methods=["GET", "POST"])
@staff_required(*access.OFFICE_ROLES)
def questionnaires():
    form = QuestionnaireForm()
    form.units.choices = [SelectChoice(u.id, u.display_name(current_lang())) for u in access.receiving_units(active_units())]
    if request.method == "GET":
        form.units.data = [u.id for u in access.receiving_units(active_units())]
    campaign = current_campaign(local_date(utcnow()))
    if form.validate_on_submit() and campaign is not None:
        try:
            q = appraisal.create_questionnaire(
                campaign=campaign, title=form.title.data, intro=form.intro.data or "",
                unit_ids=form.units.data,
                weights=(form.weight_satisfied.data, form.weight_basically.data,
                         form.weight_unsatisfied.data),
                min_answers=form.min_answers.data, public_link=form.public_link.data)
            return redirect(url_for("staff.questionnaire", qid=q.id))
        except DomainError as exc:
            form.units.errors = [message(exc)]
    status = 400 if form.is_submitted() else 200
    return render_template("staff/questionnaires.html", form=form, campaign=campaign,
                           rows=appraisal.all_questionnaires(), counts=responses_count), status


def _detail(q, invite_form=None, status=200):
    invitations = db.session.scalars(select(Invitation).where(
        Invitation.questionnaire_id == q.id).order_by(Invitation.id)).all()
    return render_template("staff/questionnaire.html", q=q, invitations=invitations,
                           invite_form=invite_form or InviteForm(formdata=None),
                           upload_form=UploadForm(formdata=None),
                           state_form=ConfirmForm(formdata=None),
                           answers=responses_count(q.id), portal_url=portal_url), status


@bp.get("/appraisal/<int:qid>")
@staff_required(*access.OFFICE_ROLES)
def questionnaire(qid):
    return _detail(_questionnaire(qid))


@bp.post("/appraisal/<int:qid>/invite")
@staff_required(*access.OFFICE_ROLES)
def invite(qid):
    q = _questionnaire(qid)
    form = InviteForm()
    if form.validate_on_submit():
        appraisal.invite(questionnaire=q, name=form.name.data, group=form.group.data,
                         organisation=form.organisation.data or "")
        flash(_("已添加邀请。"), "ok")
        return redirect(url_for("staff.questionnaire", qid=q.id))
    return _detail(q, form, 400)


MAX_UPLOAD = 1024 * 1024


def decode_csv(data):
    """The text of an uploaded list, or None. Excel writes UTF-8 (often with a BOM) or, on
    Chinese Windows, GBK, which GB18030 contains; UTF-8 is tried first, as Chinese text in GB18030
    is almost never valid UTF-8. Control characters mean a binary file (or UTF-16)."""
    if not data or len(data) > MAX_UPLOAD:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(ch < " " and ch not in "\r\n\t" for ch in text):
            return None
        return text
    return None


@bp.post("/appraisal/<int:qid>/upload")
@staff_required(*access.OFFICE_ROLES)
def upload_invitations(qid):
    q = _questionnaire(qid)
    form = UploadForm()
    data = form.file.data.read(MAX_UPLOAD + 1) if form.validate_on_submit() and form.file.data \
        else b""
    text = decode_csv(data)
    if text is None:
        flash(_("请上传 CSV 文件（UTF-8 或 GB18030 编码，不超过 1 MB）。"), "error")
        return _detail(q, status=400)
    try:
        made = appraisal.import_invitations(questionnaire=q, text=text)
    except DomainError as exc:
        flash(message(exc), "error")
        return _detail(q, status=400)
    flash(_("已导入 %(n)d 份邀请。", n=len(made)), "ok")
    return redirect(url_for("staff.questionnaire", qid=q.id))


@bp.post("/appraisal/<int:qid>/state/<what>")
@staff_required(*access.OFFICE_ROLES)
def questionnaire_state(qid, what):
    q = _questionnaire(qid)
    changes = {"open": {"is_open": True}, "close": {"is_open": False},
               "publish": {"publish": True}, "withdraw": {"publish": False}}
    if what not in changes or not ConfirmForm().validate_on_submit():
        abort(400)
    appraisal.set_state(questionnaire=q, **changes[what])
    flash(_("已保存。"), "ok")
    return redirect(url_for("staff.questionnaire", qid=q.id))


def qr_svg(url):
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=3, xmldecl=False, svgns=True)
    # Reviewed: segno's SVG of our URL.
    return Markup(out.getvalue().decode())  # noqa: S704  # nosec B704


@bp.get("/appraisal/<int:qid>/letters")
@staff_required(*access.OFFICE_ROLES)
def letters(qid):
    q = _questionnaire(qid)
    invitations = db.session.scalars(select(Invitation).where(
        Invitation.questionnaire_id == q.id, Invitation.used.is_(False))).all()
    items = [(i, portal_url("public.answer", token=i.token)) for i in invitations]
    return render_template("staff/letters.html", q=q, items=items, qr=qr_svg,
                           code_url=portal_url("public.invitation_code"))


def portal_url(endpoint, **values):
    """A public address for print or copying: from PORTAL_BASE_URL, never the request's Host
    header, which whoever sends the request chooses."""
    return current_app.config["PORTAL_BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def _results(q):
    topics = all_topics()
    return topics, results_table(q, q.units, topics, tallies(q.id))


@bp.get("/appraisal/<int:qid>/results")
@staff_required(*access.OFFICE_ROLES)
def results(qid):
    q = _questionnaire(qid)
    topics, table = _results(q)
    chart = bar_chart([(r.display_name(current_lang()), r.rate * 100 if r.rate is not None else None)
                       for r in table], _("满意率"))
    score_chart = bar_chart([(r.display_name(current_lang()), r.score) for r in table], _("综合得分"),
                            maximum=max(q.weight_satisfied, 1), unit="")
    return render_template("staff/results.html", q=q, topics=topics, table=table, chart=chart,
                           score_chart=score_chart, answers=responses_count(q.id))


@bp.get("/appraisal/<int:qid>/results.<fmt>")
@staff_required(*access.OFFICE_ROLES)
def results_file(qid, fmt):
    q = _questionnaire(qid)
    topics, table = _results(q)
    if fmt == "csv":
        body, mime = results_files.results_csv(table, topics), "text/csv"
    elif fmt == "xlsx":
        body = results_files.results_xlsx(table, topics, q.title)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        abort(404)
    response = HttpResponse(body, mimetype=mime)
    response.headers["Content-Disposition"] = f"attachment; filename=results-{q.id}.{fmt}"
    return response
