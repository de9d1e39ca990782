"""Staff sessions: loading the user, idle timeout, and the 403/404 answers of the permission
rules in models/access.py."""

import hashlib
from datetime import UTC, datetime
from functools import wraps

from flask import abort, current_app, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from models import Role, access, db
from models.staff import load_by_cookie_id
from portal.extensions import login_manager

login_manager.login_view = "staff.login"
login_manager.login_message = _l("请先登录。")
login_manager.session_protection = "strong"


def session_identifier():
    """What strong session protection binds a session to: the peer address as ProxyFix settled
    it, and the user agent. Flask-Login 0.6.3 hashes the first X-Forwarded-For entry instead,
    which the client writes itself: a stolen cookie plus a forged header would pass."""
    agent = request.headers.get("User-Agent", "")
    return hashlib.sha512(f"{request.remote_addr}|{agent}".encode()).hexdigest()


# No public hook in 0.6.3 (upstream removed the header in #821, not yet released).
login_manager._session_identifier_generator = session_identifier


@login_manager.user_loader
def load_user(cookie_id):
    return load_by_cookie_id(cookie_id)


def idle_expired(now):
    seen = session.get("seen")
    limit = current_app.config["STAFF_IDLE_TIMEOUT"].total_seconds()
    return seen is not None and now.timestamp() - seen > limit


def enforce_idle_timeout():
    """Log out a staff session left idle too long; called before every staff request."""
    if not current_user.is_authenticated:
        return None
    now = datetime.now(UTC)
    if idle_expired(now):
        logout_user()
        session.clear()
        return redirect(url_for("staff.login", next=request.full_path))
    session["seen"] = now.timestamp()
    return None


def staff_required(*roles):
    """Only signed-in staff, and with ``roles`` only those roles; others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and Role(current_user.role) not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def visible_case_or_404(case_id):
    """The case if this staff member may see it (models.access.may_see), else 404."""
    from models import Case

    case = db.session.get(Case, case_id)
    if case is None or not access.may_see(current_user, case):
        abort(404)
    return case
