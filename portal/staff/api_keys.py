"""The administrator's page of partner API keys: create (the key is shown once), disable,
enable, rotate, and trust a partner to hand the query code to the citizen."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from models import ApiKey, access, db, utcnow
from models.api_key import all_keys
from portal.auth import staff_required
from portal.services import api_keys
from portal.staff.forms.api_keys import ApiKeyForm, KeyActionForm
from portal.staff.views import bp

ACTIONS = ("enable", "disable", "rotate", "trust", "distrust")


def _page(form, status=200, secret=None, for_key=None):
    return render_template("staff/api_keys.html", form=form, keys=all_keys(),
                           action=KeyActionForm(formdata=None), secret=secret,
                           for_key=for_key), status


@bp.get("/admin/api-keys")
@staff_required(*access.ADMIN_ROLES)
def api_key_list():
    return _page(ApiKeyForm(formdata=None))


@bp.post("/admin/api-keys")
@staff_required(*access.ADMIN_ROLES)
def create_api_key():
    form = ApiKeyForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    key, secret = api_keys.create_api_key(name=form.name.data,
                                          trusted_to_relay_code=form.trusted.data, now=utcnow())
    return _page(ApiKeyForm(formdata=None), secret=secret, for_key=key)


@bp.post("/admin/api-keys/<int:key_id>/<action>")
@staff_required(*access.ADMIN_ROLES)
def api_key_action(key_id, action):
    key = db.session.get(ApiKey, key_id) or abort(404)
    if action not in ACTIONS or not KeyActionForm().validate_on_submit():
        abort(400)
    if action == "rotate":
        secret = api_keys.rotate_api_key(key=key, now=utcnow())
        return _page(ApiKeyForm(formdata=None), secret=secret, for_key=key)
    if action in ("enable", "disable"):
        api_keys.set_api_key_enabled(key=key, enabled=action == "enable")
    else:
        api_keys.set_api_key_trust(key=key, trusted=action == "trust")
    flash(_("已保存。"), "ok")
    return redirect(url_for("staff.api_key_list"))
