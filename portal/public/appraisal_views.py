"""Public appraisal pages: answering a questionnaire, the commitments ledger, statistics."""

from flask import (
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select

from models import DomainError, Questionnaire, access, all_topics, current_campaign, db, utcnow
from models.appraisal import find_invitation, results_table, tallies
from models.org import active_units
from models.questionnaire_draft import draft_of
from models.rectification import ledger
from portal.abuse import captcha
from portal.extensions import client_address, limiter
from portal.public.forms import (
    InvitationCodeForm,
    answers_of,
    draft_of_form,
    questionnaire_form,
)
from portal.public.limits import form_showings
from portal.public.views import bp
from portal.services import appraisal, statistics
from portal.services.clock import local_date
from portal.web.charts import bar_chart
from portal.web.errors import message
from portal.web.language import current_lang
from portal.web.process_cache import remember


@bp.route("/q", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"], deduct_when=lambda r: r.status_code == 404)
def invitation_code():
    form = InvitationCodeForm()
    if not form.validate_on_submit():
        return render_template("public/q_code.html", form=form), (
            400 if request.method == "POST" else 200)
    invitation = find_invitation(form.code.data)
    if invitation is None:
        form.code.errors = [_("邀请码不正确。")]
        return render_template("public/q_code.html", form=form), 404
    return redirect(url_for("public.answer", token=invitation.token))


def _render_questionnaire(q, form, status=200, **context):
    if "captcha_id" in form and current_app.config["CAPTCHA_ENABLED"]:
        form.captcha.data = ""
        form.captcha_id.data = captcha.issue()
    return render_template("public/questionnaire.html", q=q, form=form, topics=all_topics(),
                           **context), status


def _take_answers(q, form, invitation, group):
    topics = all_topics()
    if not form.validate_on_submit():
        return _render_questionnaire(q, form, 400 if request.method == "POST" else 200,
                                     invitation=invitation)
    ratings, opinions = answers_of(form, q, topics)
    try:
        receipts = appraisal.submit_response(questionnaire=q, invitation=invitation, group=group,
                                             ratings=ratings, opinions=opinions, now=utcnow())
    except DomainError as exc:
        return render_template("errors/error.html", code=409, message=message(exc)), 409
    return render_template("public/q_thanks.html", q=q, receipts=receipts)


def _open_invitation(token):
    """The invitation of a personal link, or the page that says why it cannot be answered."""
    invitation = find_invitation(token)
    if invitation is None or invitation.token != token:
        abort(404)
    if invitation.used or not invitation.questionnaire.is_open:
        why = _("这份邀请已经答过问卷，谢谢您的参与。") if invitation.used else _(
            "问卷未开放或已结束。")
        abort(make_response(render_template("errors/error.html", code=409, message=why), 409))
    return invitation


@bp.route("/q/<token>", methods=["GET", "POST"])
def answer(token):
    invitation = _open_invitation(token)
    q, topics = invitation.questionnaire, all_topics()
    form = questionnaire_form(q, topics, data=draft_of(invitation.id))
    if request.method == "POST" and request.form.get("save"):
        appraisal.save_draft(invitation=invitation, answers=draft_of_form(form, q, topics),
                             now=utcnow())
        return _render_questionnaire(q, form, invitation=invitation, saved=True)
    return _take_answers(q, form, invitation, invitation.group)


@bp.post("/q/<token>/draft")
@limiter.limit("240 per hour")
def answer_draft(token):
    """The page's script saves the answers as the respondent goes; 204, nothing to show."""
    invitation = _open_invitation(token)
    q, topics = invitation.questionnaire, all_topics()
    form = questionnaire_form(q, topics)
    appraisal.save_draft(invitation=invitation, answers=draft_of_form(form, q, topics),
                         now=utcnow())
    return "", 204


@bp.route("/q/open/<public_token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["FILING_RATE_LIMIT"], methods=["POST"],
               deduct_when=lambda r: r.status_code == 200, scope="questionnaire")
# Each showing of the form, and each failed try that shows it again, writes a captcha
# challenge: both are capped per client like the filing form.
@form_showings("questionnaire-form")
@limiter.limit(lambda: current_app.config["FILING_ATTEMPT_LIMIT"], methods=["POST"],
               key_func=client_address, scope="questionnaire-any")
def public_answer(public_token):
    q = db.session.scalars(select(Questionnaire).where(
        Questionnaire.public_token == public_token)).first() or abort(404)
    if not q.is_open:
        return render_template("errors/error.html", code=409,
                               message=_("问卷未开放或已结束。")), 409
    form = questionnaire_form(q, all_topics(), public=True)
    return _take_answers(q, form, None, form.group.data)


@bp.get("/commitments")
def commitments():
    today = local_date(utcnow())
    campaign = current_campaign(today)
    problems = ledger(campaign.id, published_only=True) if campaign else []
    return render_template("public/commitments.html", campaign=campaign, problems=problems,
                           today=today, units=active_units())


@bp.get("/stats")
def stats():
    today = local_date(utcnow())
    campaign = current_campaign(today)
    start = today.replace(month=1, day=1)
    units = access.receiving_units(active_units())
    published = db.session.scalars(select(Questionnaire).where(
        Questionnaire.results_published.is_(True)).order_by(Questionnaire.id.desc())).all()
    topics = all_topics()
    results = [(q, results_table(q, q.units, topics, tallies(q.id))) for q in published]
    charts = {q.id: bar_chart([(r.display_name(current_lang()), r.rate * 100 if r.rate is not None else None)
                               for r in table], q.title) for q, table in results}
    now = utcnow()
    shown = remember(("public_stats", start, today), current_app.config["STATS_CACHE_SECONDS"],
                     lambda: statistics.current_public_stats(now=now))
    return render_template("public/stats.html", stats=shown.figures, as_of=shown.as_of,
                           live=shown.live, units=units,
                           start=start, today=today, campaign=campaign, results=results,
                           charts=charts, topics=topics)
