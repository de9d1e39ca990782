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


def create_staff(*, username, name, role, unit_code, email, password):
    """A new account; unit staff must name an existing unit."""
    from sqlalchemy import select

    from models import DomainError, Role, StaffUser, Unit, find_staff

    if find_staff(username) is not None:
        raise DomainError(f"username {username!r} is taken")
    unit = None
    if Role(role) in (Role.LEADER, Role.HANDLER):
        unit = db.session.scalars(select(Unit).where(Unit.code == unit_code)).first()
        if unit is None:
            raise DomainError("leaders and handlers need --unit with an existing unit code")
    if len(password) < 10:
        raise DomainError("the password needs at least 10 characters")
    user = StaffUser(username=username, name=name, role=role, unit=unit, email=email)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user
