"""One case in the back office: its page, its steps, its attachments."""

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from models import Attachment, DomainError, StaffUser, access, active_units, db, utcnow
from models.inspection import finding_of_case
from models.reply import canned_for, current_reply, rating_of, released_reply
from models.supervision import urge_count
from portal.abuse import uploads
from portal.abuse.html_cleaning import editable_text
from portal.auth import staff_required, visible_case_or_404
from portal.staff import actions
from portal.staff.cases import deadline_marks
from portal.staff.confirmations import done_message
from portal.staff.views import bp
from portal.web.errors import message
from portal.web.language import current_lang


def prepare(form, case, fresh=False):
    """Fill the choices that come from the database; a ``fresh`` (not submitted) form offers
    the section the citizen named, when it may receive the case."""
    if hasattr(form, "unit"):
        offered = [u for u in access.receiving_units(active_units()) if access.may_receive(case, u)]
        form.unit.choices = [SelectChoice("", _("（不交办）"))] + [
            SelectChoice(u.id, u.display_name(current_lang())) for u in offered]
        if fresh and case.target_unit_id in {u.id for u in offered}:
            form.unit.data = case.target_unit_id
    if hasattr(form, "handler"):
        staff = db.session.scalars(select(StaffUser).where(
            StaffUser.unit_id == case.unit_id, StaffUser.active.is_(True))).all()
        form.handler.choices = [SelectChoice(u.id, u.name) for u in staff]
    return form


def case_page(case, failed=None, status=200):
    steps = actions.available(case, current_user)
    forms = {name: prepare(actions.ACTIONS[name][0](formdata=None), case, fresh=True)
             for name in steps}
    if failed is not None:
        forms[failed[0]] = failed[1]
    reply = current_reply(case.id)
    if "reply" in forms and reply is not None and reply.released_at is None:
        forms["reply"].body.data = editable_text(reply.body_html)
    released = released_reply(case.id)
    return render_template(
        "staff/case.html",
        case=case,
        forms=forms,
        reply=reply,
        rating=rating_of(released.id) if released else None,
        canned=canned_for(case.topic_id) if "reply" in forms else [],
        urged=urge_count(case.events),
        finding=finding_of_case(case.id),
        attachment_names={a.id: access.shown_attachment_name(current_user, case, a, i, gettext=_)
                          for i, a in enumerate(case.attachments, start=1)},
        **deadline_marks(),
    ), status


@bp.get("/cases/<int:case_id>")
@staff_required()
def case(case_id):
    return case_page(visible_case_or_404(case_id))


@bp.post("/cases/<int:case_id>/<action>")
@staff_required()
def act(case_id, action):
    case = visible_case_or_404(case_id)
    if action not in actions.available(case, current_user):
        abort(403)
    form_class, call = actions.ACTIONS[action]
    form = prepare(form_class(), case)
    if not form.validate_on_submit():
        return case_page(case, failed=(action, form), status=400)
    try:
        call(case, form, current_user, utcnow())
    except DomainError as exc:
        flash(message(exc), "error")
        return case_page(case, failed=(action, form), status=409)
    flash(done_message(action, case, form), "ok")
    return redirect(url_for("staff.case", case_id=case.id))


@bp.get("/attachments/<int:attachment_id>")
@staff_required()
def attachment(attachment_id):
    item = db.session.get(Attachment, attachment_id) or abort(404)
    case = visible_case_or_404(item.case_id)
    path = Path(current_app.config["UPLOAD_FOLDER"]) / item.stored_name
    response = send_file(path, mimetype=item.mime, as_attachment=True)
    # Built from the cleaned name: a CR or LF stored before names were cleaned must not break
    # the header (werkzeug would refuse it with a 500); viewers who may not see the
    # complainant get a generic name.
    shown = access.shown_attachment_name(current_user, case, item, gettext=_)
    response.headers["Content-Disposition"] = uploads.content_disposition(shown, item.mime)
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "no-store"
    return response


