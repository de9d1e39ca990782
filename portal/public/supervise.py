"""Work-style supervisors (行风监督员) report unannounced visits without signing in: a code from
the office opens a personal page, usable for any number of reports until the office revokes it.
Like the questionnaire's invitations, but never used up."""

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from models import DomainError, access, current_campaign, utcnow
from models.inspection import find_supervisor_code
from models.org import active_units
from portal.abuse import captcha
from portal.extensions import limiter
from portal.public.forms import SupervisorCodeForm, SupervisorReportForm
from portal.public.views import bp
from portal.services import inspections
from portal.services.clock import local_date
from portal.web.errors import message
from portal.web.language import current_lang


def _refused(code):
    return lambda response: response.status_code in code


@bp.route("/supervise", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"], deduct_when=_refused((403, 404)),
               scope="supervise-code")
def supervise():
    form = SupervisorCodeForm()
    if not form.validate_on_submit():
        return render_template("public/supervise_code.html", form=form), (
            400 if request.method == "POST" else 200)
    code = find_supervisor_code(code=form.code.data)
    if code is None:
        form.code.errors = [_("监督员码不正确。")]
        return render_template("public/supervise_code.html", form=form), 404
    try:
        inspections.usable_code(code, current_campaign(local_date(utcnow())))
    except DomainError as exc:
        form.code.errors = [message(exc)]
        return render_template("public/supervise_code.html", form=form), 403
    return redirect(url_for("public.supervise_report", token=code.token))


def _report_form(blank=False):
    form = SupervisorReportForm(formdata=None) if blank else SupervisorReportForm()
    form.unit.choices = [SelectChoice("", _("请选择"))] + [
        SelectChoice(u.id, u.display_name(current_lang())) for u in access.receiving_units(active_units())]
    return form


def _report_page(form, status=200, done=None):
    if current_app.config["CAPTCHA_ENABLED"]:
        form.captcha.data = ""
        form.captcha_id.data = captcha.issue()
    return render_template("public/supervise_report.html", form=form, done=done), status


@bp.route("/supervise/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["FILING_RATE_LIMIT"], methods=["POST"],
               deduct_when=_refused((200,)), scope="supervise-report")
@limiter.limit(lambda: current_app.config["FILING_ATTEMPT_LIMIT"], methods=["POST"],
               scope="supervise-any")
def supervise_report(token):
    code = find_supervisor_code(token=token[:64])
    if code is None or code.token != token:
        return render_template("errors/error.html", code=404,
                               message=_("没有这个监督员链接，请检查后重试。")), 404
    campaign = current_campaign(local_date(utcnow()))
    try:
        inspections.usable_code(code, campaign)
    except DomainError as exc:
        return render_template("errors/error.html", code=403, message=message(exc)), 403
    form = _report_form()
    if not form.validate_on_submit():
        return _report_page(form, 400 if request.method == "POST" else 200)
    try:
        record = inspections.supervisor_report(
            code=code, campaign=campaign, unit_id=form.unit.data, held_on=form.held_on.data,
            place=form.place.data, text=form.text.data, now=utcnow())
    except DomainError as exc:
        form.form_errors.append(message(exc))
        return _report_page(form, 400)
    return _report_page(_report_form(blank=True), 200, done=record)
