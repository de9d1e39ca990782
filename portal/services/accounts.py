"""Staff accounts: signing in and out."""

from models import db
from models.staff import new_session_token


def record_login(*, user, now):
    user.last_login_at = now
    db.session.commit()


def end_all_sessions(*, user):
    """Replace the account's session token: every copy of its login cookie stops working."""
    user.session_token = new_session_token()
    db.session.commit()
