"""Staff enter cases taken by phone, letter, forum, visit or inspection."""

import secrets

from flask import render_template, request
from flask_login import current_user

from models import utcnow
from portal.auth import staff_required
from portal.forms_common import build_case_form
from portal.services import intake
from portal.staff.forms import EntryForm
from portal.staff.views import bp


@bp.route("/cases/new", methods=["GET", "POST"])
@staff_required()
def new_case():
    form = build_case_form(EntryForm)
    if request.method == "POST":
        existing, code = intake.find_submission(form.submission_key.data)
        if existing is not None:
            return render_template("staff/entry_receipt.html", case=existing, code=code)
    if not form.validate_on_submit():
        if form.submission_key.errors:
            form.submission_key.data = secrets.token_urlsafe(16)
        status = 400 if request.method == "POST" else 200
        return render_template("staff/new_case.html", form=form), status
    case, code = intake.file_case(
        fields=form.case_fields(), attachments=form.prepared,
        submission_key=form.submission_key.data, actor=current_user, now=utcnow())
    return render_template("staff/entry_receipt.html", case=case, code=code)
