"""Staff accounts of the bureau, each with one role and, for unit staff, one unit."""

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String, false, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from models.base import UTCDateTime, db
from models.i18n import N_
from models.workflow import Role

ROLE_LABELS = {
    Role.ADMIN: N_("系统管理员"),
    Role.OFFICE: N_("评议办"),
    Role.LEADER: N_("科室负责人"),
    Role.HANDLER: N_("承办人"),
}
STAFF_ROLES = (Role.ADMIN, Role.OFFICE, Role.LEADER, Role.HANDLER)
# Hashed once so that an unknown username costs as much as a wrong password.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))


def new_session_token():
    return secrets.token_urlsafe(16)


class StaffUser(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    email: Mapped[str] = mapped_column(String(254), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the login cookie; replaced at logout so that a copied cookie stops working.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Member of the leadership group (领导小组): sees escalated cases and gets their digest.
    # A flag, not a role: a bureau leader may also hold the office's or the administrator's role.
    leadership: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    unit = relationship("Unit")

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        return f"{self.id}:{self.session_token}"

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)


def find_staff(username):
    stmt = select(StaffUser).where(func.lower(StaffUser.username) == username.strip().lower())
    return db.session.scalars(stmt).first()


def authenticate(username, password):
    """The active account with this username and password, or None; constant work either way."""
    user = find_staff(username)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if user.check_password(password) and user.active else None


def load_by_cookie_id(cookie_id):
    user_id, _, token = (cookie_id or "").partition(":")
    if not (user_id.isdecimal() and len(user_id) < 10) or not token:
        return None
    try:
        user = db.session.get(StaffUser, int(user_id))
    except OperationalError:
        # The database is down: answer as signed out for this request; the 503 page follows.
        db.session.rollback()
        return None
    if user is None or not secrets.compare_digest(user.session_token, token):
        return None
    return user
