"""Staff sign-in and sign-out."""

import logging
from datetime import UTC, datetime

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from models import authenticate

from ..auth import enforce_idle_timeout, staff_required
from ..extensions import limiter
from ..services import accounts

bp = Blueprint("staff", __name__, url_prefix="/staff")
bp.before_request(enforce_idle_timeout)
log = logging.getLogger(__name__)


def _username_key():
    return "login-user:" + request.form.get("username", "").strip().lower()[:50]


def _safe_next(target):
    if target and target.startswith("/staff") and not target.startswith("//"):
        return target
    return url_for("staff.board")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@limiter.limit(
    "20 per hour", methods=["POST"], key_func=_username_key, deduct_when=lambda r: r.status_code == 401
)
def login():
    from .forms import LoginForm

    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("staff/login.html", form=form), (
            400 if request.method == "POST" else 200
        )
    user = authenticate(form.username.data, form.password.data)
    if user is None:
        log.info("login failed user=%r ip=%s", form.username.data[:50], request.remote_addr)
        form.password.errors = [_("用户名或密码不正确。")]
        return render_template("staff/login.html", form=form), 401
    lang = session.get("lang")
    session.clear()  # a fresh session at login: nothing from before carries over but the language
    if lang:
        session["lang"] = lang
    login_user(user)
    now = datetime.now(UTC)
    accounts.record_login(user=user, now=now)
    session["seen"] = now.timestamp()
    log.info("login ok user=%s ip=%s", user.username, request.remote_addr)
    return redirect(_safe_next(request.args.get("next")))


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
    return redirect(url_for("staff.board"))
