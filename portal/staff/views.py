"""Staff sign-in and sign-out."""

import logging
from datetime import UTC, datetime

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from models import authenticate
from portal.abuse import attempts
from portal.auth import enforce_idle_timeout, staff_required
from portal.extensions import limiter
from portal.services import accounts
from portal.staff.forms import GuardedLoginForm
from portal.web.redirects import safe_next

bp = Blueprint("staff", __name__, url_prefix="/staff")
bp.before_request(enforce_idle_timeout)
log = logging.getLogger(__name__)


ACCOUNT_FAILURES = "LOGIN_FAILURES_BEFORE_CAPTCHA"
LOGIN_ASKS = _l("该账号近期登录失败较多，请先输入验证码。")


def _account_key(username):
    return (username or "").strip().lower()[:50]


def _login_page(form, status):
    due = attempts.captcha_for_page(form, ACCOUNT_FAILURES, _account_key(form.username.data))
    return render_template("staff/login.html", form=form, need_captcha=due), status


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_FAILURE_LIMIT_PER_CLIENT"],
    methods=["POST"],
    deduct_when=attempts.failed,
    scope="login-client",
)
def login():
    form = GuardedLoginForm()
    if not form.validate_on_submit():
        return _login_page(form, 400 if request.method == "POST" else 200)
    account = _account_key(form.username.data)
    # The captcha comes before the password is even tried: guesses past the threshold cost one.
    if attempts.captcha_due(ACCOUNT_FAILURES, account) and not attempts.captcha_passed(
        form, LOGIN_ASKS
    ):
        return _login_page(form, 400)
    user = authenticate(form.username.data, form.password.data)
    if user is None:
        attempts.record_failure(ACCOUNT_FAILURES, account)
        log.info("login failed user=%r ip=%s", form.username.data[:50], request.remote_addr)
        form.password.errors = [_("用户名或密码不正确。")]
        return _login_page(form, 401)
    lang = session.get("lang")
    session.clear()  # a fresh session at login: nothing from before carries over but the language
    if lang:
        session["lang"] = lang
    login_user(user)
    now = datetime.now(UTC)
    accounts.record_login(user=user, now=now)
    session["seen"] = now.timestamp()
    log.info("login ok user=%s ip=%s", user.username, request.remote_addr)
    return redirect(safe_next(request.args.get("next"), url_for("staff.board"), prefix="/staff"))


@bp.post("/logout")
@staff_required()
def logout():
    accounts.end_all_sessions(user=current_user)
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:  # the language is the visitor's, not the account's
        session["lang"] = lang
    return redirect(url_for("staff.login"))


@bp.get("/")
@staff_required()
def index():
    return redirect(url_for("staff.home"))
