"""Public pages. Each view loads, validates, calls one service and answers."""

import secrets
from functools import partial
from urllib.parse import quote

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from models import (
    Channel,
    DomainError,
    current_campaign,
    find_by_number,
    utcnow,
)
from models.notices import shown_notices
from models.reply import rating_of, released_reply
from models.typed_codes import normalize_number
from portal.abuse import attempts, captcha
from portal.extensions import limiter
from portal.forms_common import build_case_form
from portal.public.forms import GuardedLookupForm, LookupForm, RatingForm
from portal.public.limits import (
    LOOKUP_ASKS,
    NUMBER_FAILURES,
    filing_limits,
    form_showings,
    lookup_limits,
    number_key,
)
from portal.services import intake, rating
from portal.services.clock import deadline_policy, local_date
from portal.services.rating import rating_open
from portal.web import page_cache
from portal.web.errors import message
from portal.web.redirects import safe_next
from portal.web.signing import csrf_token

bp = Blueprint("public", __name__)
TRACKED_MAX = 10
RECEIPTS_SHOWN = "receipts_shown"
HOME_NOTICES = 5


def code_once(case, code):
    """The query code for this filing's first receipt in this browser, None on a reload (the
    browser posts the form again and would show the code to whoever looks at the screen next).
    A browser that never got the first receipt (a double click) still sees the code once."""
    shown = session.get(RECEIPTS_SHOWN, [])
    if case.id in shown:
        return None
    session[RECEIPTS_SHOWN] = ([case.id] + shown)[:TRACKED_MAX]
    return code


def per_request_values(form_key=False, captcha_id=False):
    """What a cached page (portal/web/page_cache.py) fills in for one request: a CSRF token,
    a fresh form key, a fresh captcha challenge bound to this session."""
    values = {}
    if current_app.config["WTF_CSRF_ENABLED"]:
        values["csrf"] = csrf_token()
    if form_key:
        values["key"] = secrets.token_urlsafe(16)
        captcha_id = True
    if captcha_id and current_app.config["CAPTCHA_ENABLED"]:
        values["captcha"] = captcha.issue()
    return values


def blank_case_form():
    """The filing form as a fresh visitor sees it, with markers for per_request_values()."""
    form = build_case_form()
    form.submission_key.data = page_cache.slot("key")
    form.captcha_id.data = page_cache.slot("captcha")
    if getattr(form, "csrf_token", None) is not None:
        form.csrf_token.current_token = page_cache.slot("csrf")
    return render_template("public/new_case.html", form=form, notice=None)


def render_case_form(form, status=200, notice=None):
    form.captcha.data = ""
    if form.submission_key.errors:
        form.submission_key.data = secrets.token_urlsafe(16)
    if current_app.config["CAPTCHA_ENABLED"]:
        form.captcha_id.data = captcha.issue()
    return render_template("public/new_case.html", form=form, notice=notice), status


@bp.get("/")
def home():
    today = local_date(utcnow())
    if page_cache.servable():
        return page_cache.page(("home", today.isoformat()), partial(home_page, today), {})
    return home_page(today)


def home_page(today):
    policy = deadline_policy()
    return render_template(
        "public/home.html",
        campaign=current_campaign(today),
        today=today,
        accept_days=policy.acceptance_days,
        reply_days=policy.reply_days,
        notices=shown_notices(today, limit=HOME_NOTICES),
    )


# The form and its POST are two views: a showing then skips the POST's rate limits, which
# Flask-Limiter would resolve on every GET too (a tenth of a form view's time).
@bp.get("/file")
@form_showings("filing-form")
def new_case_form():
    if page_cache.servable():
        return page_cache.page(("file",), blank_case_form, per_request_values(form_key=True))
    return render_case_form(build_case_form())


@bp.post("/file")
@filing_limits
def new_case():
    form, now = build_case_form(), utcnow()
    key = form.valid_key()
    form.held = intake.held_attachments(key, request.form.getlist("remove_held"), now)
    if not form.validate_on_submit():
        # A form sent again after it was filed (a double click, a reload) fails its used
        # captcha: it shows the first receipt. A repeat that passes is caught by file_case.
        existing, code = intake.find_submission(form.submission_key.data)
        if existing is not None:
            return receipt(existing, code, repeat=True)
        # Files that passed their checks are kept for the next try, never dropped unsaid.
        form.held = intake.hold_attachments(key, form.prepared, now)
        notice = _("附件未能保留，请重新选择。") if form.prepared and key is None else None
        return render_case_form(form, 400, notice)
    fields = form.case_fields() | {"channel": Channel.WEB.value}
    filed = intake.file_case(
        fields=fields,
        attachments=form.prepared,
        submission_key=form.submission_key.data,
        now=now,
    )
    return receipt(*filed, repeat=filed.repeat)


def receipt(case, code, repeat):
    """The receipt: its words rendered once per language and variant (page_cache), the case's
    own values written in; a filing's busiest page after the form."""
    values = receipt_values(case, code and code_once(case, code))
    if not page_cache.fillable():
        return render_template("public/receipt.html", r=values, repeat=repeat)
    slots = {name: page_cache.slot(name) for name in values}
    render = partial(render_template, "public/receipt.html", r=slots, repeat=repeat)
    return page_cache.page(("receipt", repeat, *sorted(values)), render, values)


def receipt_values(case, code):
    """What the receipt shows of this case, as text; ``code`` and ``files`` only when shown."""
    filters = current_app.jinja_env.filters
    values = {"number": case.number, "number_url": quote(case.number, safe=""),
              "kind": filters["kind_label"](case.kind), "title": case.title,
              "received": filters["datetime"](case.received_at),
              "due": filters["date"](case.accept_due_on)}
    if code:
        values["code"] = code
    if case.attachments:
        values["files"] = _("%(n)d 个", n=len(case.attachments))
    return values


@bp.get("/captcha/<challenge_id>.png")
@limiter.limit("60 per minute")
def captcha_image(challenge_id):
    image = captcha.challenge_image(challenge_id) or abort(404)
    return _nocache(make_response(image), "image/png")


@bp.get("/captcha/<challenge_id>.wav")
@limiter.limit(lambda: current_app.config["CAPTCHA_AUDIO_RATE_LIMIT"])
def captcha_audio(challenge_id):
    answer = captcha.peek(challenge_id) or abort(404)
    return _nocache(make_response(captcha.audio_wav(answer)), "audio/wav")


def _nocache(response, mimetype):
    response.mimetype = mimetype
    response.headers["Cache-Control"] = "no-store"
    return response


# As for the filing form, the lookup form and its POST are two views, so a view of the form
# skips the POST's rate limit, which Flask-Limiter resolves for every method of its view (a
# quarter of the form view's own time).
@bp.get("/track")
def lookup():
    if page_cache.servable():
        return page_cache.page(("track",), blank_lookup_form, per_request_values())
    form = GuardedLookupForm()
    if request.args.get("number"):
        form.number.data = request.args["number"][:32]
    return lookup_page(form, 200)


@bp.post("/track")
@lookup_limits
def lookup_submit():
    form = GuardedLookupForm()
    if not form.validate_on_submit():
        return lookup_page(form, 400)
    number = number_key(form.number.data)
    if attempts.captcha_due(NUMBER_FAILURES, number) and not attempts.captcha_passed(
        form, LOOKUP_ASKS
    ):
        return lookup_page(form, 400)
    case = intake.verify_lookup(form.number.data, form.code.data)
    if case is None:
        attempts.record_failure(NUMBER_FAILURES, number)
        form.code.errors = [_("受理编号或查询码不正确。")]
        return lookup_page(form, 404)
    tracked = [cid for cid in session.get("tracked", []) if cid != case.id]
    session["tracked"] = ([case.id] + tracked)[:TRACKED_MAX]
    return redirect(url_for("public.case_status", number=case.number))


def blank_lookup_form():
    form = GuardedLookupForm(formdata=None)
    if getattr(form, "csrf_token", None) is not None:
        form.csrf_token.current_token = page_cache.slot("csrf")
    return render_template("public/lookup.html", form=form, need_captcha=False)


def lookup_page(form, status):
    """The lookup form; with a fresh captcha when its number has had too many failures."""
    due = attempts.captcha_for_page(form, NUMBER_FAILURES, number_key(form.number.data))
    return render_template("public/lookup.html", form=form, need_captcha=due), status


def tracked_case(number):
    """The case if this browser proved its code; None otherwise (nothing said about why)."""
    case = find_by_number(normalize_number(number))
    return case if case is not None and case.id in session.get("tracked", []) else None


def render_status(case, form=None, status=200):
    released, policy = released_reply(case.id), deadline_policy()
    open_for_rating = rating_open(case, policy, local_date(utcnow()))
    return render_template(
        "public/case_status.html",
        case=case,
        rating_window=policy.rating_window,
        reply=released,
        rating=rating_of(released.id) if released else None,
        form=form or (RatingForm(formdata=None) if open_for_rating else None),
    ), status


@bp.get("/track/<number>")
def case_status(number):
    case = tracked_case(number)
    if case is None:
        return redirect(url_for("public.lookup", number=number[:32]))
    return render_status(case)


@bp.post("/track/<number>/rate")
def rate(number):
    case = tracked_case(number) or abort(404)
    form = RatingForm()
    if not form.validate_on_submit():
        return render_status(case, form, 400)
    try:
        rating.rate_case(case, value=form.value.data, reason=form.reason.data, now=utcnow())
    except DomainError as exc:
        form.value.errors = [message(exc)]
        return render_status(case, form, 409)
    return redirect(url_for("public.case_status", number=case.number))


@bp.get("/lang/<code>")
def set_language(code):
    if code in current_app.config["PORTAL_LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next"), url_for("public.home")))


@bp.errorhandler(CSRFError)
def csrf_expired(error):
    """An expired or missing token: show the form again with what was typed, not a bare 400."""
    notice = _("页面已过期，请检查后再次提交。如有附件，请重新选择。")
    if request.endpoint == "public.new_case":
        form = build_case_form()
        form.held = intake.held_attachments(form.valid_key(), [], utcnow())
        if form.held:
            notice = _("页面已过期，请检查后再次提交。已保留的附件列在下方；新选的附件请重新选择。")
        return render_case_form(form, 400, notice)
    if request.endpoint == "public.lookup_submit":
        return render_template("public/lookup.html", form=LookupForm(), notice=notice), 400
    return render_template("errors/error.html", code=400, message=notice), 400
