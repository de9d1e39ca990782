"""Staff accounts: signing in and out."""

from models import db
from models.i18n import N_
from models.staff import new_session_token
from portal.services.transaction import rolls_back


@rolls_back
def record_login(*, user, now):
    user.last_login_at = now
    db.session.commit()


@rolls_back
def end_all_sessions(*, user):
    """Replace the account's session token: every copy of its login cookie stops working."""
    user.session_token = new_session_token()
    db.session.commit()


@rolls_back
def create_staff(*, username, name, role, unit_code, email, password, leadership=False):
    """A new account; unit staff must name an existing unit."""
    from sqlalchemy import select

    from models import DomainError, Role, StaffUser, Unit, access, find_staff

    if find_staff(username) is not None:
        raise DomainError(N_("用户名 %(name)s 已被使用。"), name=username)
    unit = None
    if Role(role) in access.UNIT_ROLES:
        unit = db.session.scalars(select(Unit).where(Unit.code == unit_code)).first()
        if unit is None:
            raise DomainError(N_("科室负责人和承办人必须属于一个已有科室。"))
    if len(password) < 10:
        raise DomainError(N_("密码至少 10 个字符。"))
    user = StaffUser(username=username, name=name, role=role, unit=unit, email=email,
                     leadership=leadership)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


@rolls_back
def set_active(*, user, active, actor):
    """Switch an account on or off; switching off also ends its sessions at once."""
    from models import DomainError

    if user.id == actor.id:
        raise DomainError(N_("不能停用自己的账号。"))
    user.active = active
    if not active:
        user.session_token = new_session_token()
    db.session.commit()
    return user


@rolls_back
def reset_password(*, user):
    """A new random password, returned once for the administrator to hand over."""
    import secrets

    password = secrets.token_urlsafe(9)
    user.set_password(password)
    user.session_token = new_session_token()
    db.session.commit()
    return password


def set_leadership(*, user, member):
    """Put an account in the leadership group (领导小组) or take it out."""
    user.leadership = member
    db.session.commit()
    return user
