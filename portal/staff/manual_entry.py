"""Staff enter cases taken by phone, letter, forum, visit or inspection."""

import secrets

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from models import DomainError, access, active_units, utcnow
from portal.auth import staff_required
from portal.forms_common import build_case_form
from portal.services import intake
from portal.services.clock import local_date
from portal.staff.forms import EntryForm
from portal.staff.views import bp
from portal.web.errors import message
from portal.web.language import current_lang


def _entry_form():
    form = build_case_form(EntryForm)
    form.unit.choices = [SelectChoice("", _("（不交办）"))] + [
        SelectChoice(u.id, u.display_name(current_lang()))
        for u in access.receiving_units(active_units())]
    if request.method == "GET":
        form.received_on.data = local_date(utcnow())
    return form


def _form_page(form, status):
    if form.submission_key.errors:
        form.submission_key.data = secrets.token_urlsafe(16)
    return render_template("staff/new_case.html", form=form), status


@bp.route("/cases/new", methods=["GET", "POST"])
@staff_required()
def new_case():
    form = _entry_form()
    if request.method == "POST":
        existing, code = intake.find_submission(form.submission_key.data)
        if existing is not None:
            return render_template("staff/entry_receipt.html", case=existing, code=code)
    if not form.validate_on_submit():
        return _form_page(form, 400 if request.method == "POST" else 200)
    office = access.is_office(current_user)  # only the office accepts; others' boxes are ignored
    try:
        case, code = intake.enter_case(
            fields=form.case_fields(), received_on=form.received_on.data,
            accept=office and form.accept.data, unit_id=form.unit.data if office else None,
            attachments=form.prepared, submission_key=form.submission_key.data,
            actor=current_user, now=utcnow())
    except DomainError as exc:  # the date, or the unit refused (a report to the accused unit)
        getattr(form, getattr(exc, "field", "unit")).errors = [message(exc)]
        return _form_page(form, 400)
    return render_template("staff/entry_receipt.html", case=case, code=code)
