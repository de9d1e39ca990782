"""The administrator's account pages: who may sign in, with which role and unit."""

import secrets

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from models import DomainError, StaffUser, Unit, access, db
from models.org import active_units
from portal.auth import staff_required
from portal.services import accounts
from portal.staff.forms import ConfirmForm, UserForm
from portal.staff.views import bp
from portal.web.errors import message
from portal.web.language import current_lang


def _form(formdata=True):
    form = UserForm() if formdata else UserForm(formdata=None)
    form.unit.choices = [SelectChoice("", "—")] + [
        SelectChoice(u.id, u.display_name(current_lang()))
        for u in access.receiving_units(active_units())]
    return form


def _page(form, status=200, password=None, for_user=None):
    users = db.session.scalars(select(StaffUser).order_by(StaffUser.role, StaffUser.username))
    return render_template("staff/users.html", form=form, users=users.all(),
                           confirm=ConfirmForm(formdata=None), password=password,
                           for_user=for_user), status


@bp.get("/admin/users")
@staff_required(*access.ADMIN_ROLES)
def users():
    return _page(_form())


@bp.post("/admin/users")
@staff_required(*access.ADMIN_ROLES)
def create_user():
    form = _form()
    if not form.validate_on_submit():
        return _page(form, 400)
    unit = db.session.get(Unit, form.unit.data) if form.unit.data else None
    password = secrets.token_urlsafe(9)
    try:
        user = accounts.create_staff(username=form.username.data, name=form.name.data,
                                     role=form.role.data, unit_code=unit.code if unit else None,
                                     email=form.email.data or "", password=password)
    except DomainError as exc:
        form.username.errors = [message(exc)]
        return _page(form, 400)
    return _page(_form(formdata=False), password=password, for_user=user)


def _user(user_id):
    return db.session.get(StaffUser, user_id) or abort(404)


@bp.post("/admin/users/<int:user_id>/<state>")
@staff_required(*access.ADMIN_ROLES)
def set_user_state(user_id, state):
    user = _user(user_id)
    states = ("enable", "disable", "password", "leadership", "no_leadership")
    if state not in states or not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        if state == "password":
            return _page(_form(formdata=False), password=accounts.reset_password(user=user),
                         for_user=user)
        if state in ("leadership", "no_leadership"):
            accounts.set_leadership(user=user, member=state == "leadership")
        else:
            accounts.set_active(user=user, active=state == "enable", actor=current_user)
    except DomainError as exc:
        flash(message(exc), "error")
        return _page(_form(formdata=False), 409)
    flash(_("已保存。"), "ok")
    return redirect(url_for("staff.users"))

