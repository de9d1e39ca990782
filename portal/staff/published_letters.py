"""Publishing letters (信件公开) in the back office: the office reviews a redacted copy of a
replied case whose citizen consented, edits it, publishes it or withdraws it."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.validators import Length

from models import Case, DomainError, Role, utcnow
from models.publication import PublishedLetter, candidates
from models.reply import released_reply
from models.workflow import OFFICE
from portal.abuse.form_filters import no_control_chars
from portal.abuse.html_cleaning import plain_text_of
from portal.auth import staff_required
from portal.services import publication
from portal.staff.forms.letters import LetterForm, WithdrawForm
from portal.staff.views import bp
from portal.web.errors import message
from portal.web.form_base import FlaskForm
from portal.web.ids import row_or_404

TEXT = [Length(max=5000, message=_l("不超过 5000 个字。")), no_control_chars]
OFFICE_ROLES = tuple(Role(r) for r in OFFICE)


def _letter_or_404(letter_id):
    return row_or_404(PublishedLetter, letter_id)


def _page(letter, form=None, withdraw=None, status=200):
    case = letter.case
    reply = released_reply(case.id)
    return render_template(
        "staff/published_letter.html", letter=letter, case=case,
        original_answer=plain_text_of(reply.body_html) if reply else "",
        form=form or LetterForm(formdata=None, obj=letter),
        withdraw=withdraw or WithdrawForm(formdata=None)), status


def _refused(exc, letter, status=409):
    flash(message(exc), "error")
    return _page(letter, status=status)


@bp.get("/letters")
@staff_required(*OFFICE_ROLES)
def published_letters():
    return render_template("staff/published_letters.html", rows=candidates())


@bp.post("/letters/prepare/<int:case_id>")
@staff_required(*OFFICE_ROLES)
def prepare_letter(case_id):
    case = row_or_404(Case, case_id)
    try:
        letter = publication.prepare_letter(case, actor=current_user, now=utcnow())
    except DomainError as exc:
        flash(message(exc), "error")
        return render_template("staff/published_letters.html", rows=candidates()), 409
    return redirect(url_for("staff.published_letter", letter_id=letter.id))


@bp.get("/letters/<int:letter_id>")
@staff_required(*OFFICE_ROLES)
def published_letter(letter_id):
    return _page(_letter_or_404(letter_id))


@bp.post("/letters/<int:letter_id>")
@staff_required(*OFFICE_ROLES)
def edit_letter(letter_id):
    letter = _letter_or_404(letter_id)
    form = LetterForm()
    if not form.validate_on_submit():
        return _page(letter, form=form, status=400)
    try:
        publication.edit_letter(letter, actor=current_user, title=form.title.data,
                                question=form.question.data, answer=form.answer.data,
                                now=utcnow())
    except DomainError as exc:
        return _refused(exc, letter)
    flash(_("脱敏稿已保存，尚未公开。") if letter.state != "published"
          else _("脱敏稿已保存，公开页面已更新。"), "ok")
    return redirect(url_for("staff.published_letter", letter_id=letter.id))


@bp.post("/letters/<int:letter_id>/publish")
@staff_required(*OFFICE_ROLES)
def publish_letter(letter_id):
    letter = _letter_or_404(letter_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        publication.publish_letter(letter, actor=current_user, now=utcnow())
    except DomainError as exc:
        return _refused(exc, letter)
    flash(_("已公开《%(title)s》。", title=letter.title), "ok")
    return redirect(url_for("staff.published_letter", letter_id=letter.id))


@bp.post("/letters/<int:letter_id>/withdraw")
@staff_required(*OFFICE_ROLES)
def withdraw_letter(letter_id):
    letter = _letter_or_404(letter_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _page(letter, withdraw=form, status=400)
    try:
        publication.withdraw_letter(letter, actor=current_user, reason=form.reason.data,
                                    now=utcnow())
    except DomainError as exc:
        return _refused(exc, letter)
    flash(_("已撤回公开《%(title)s》。", title=letter.title), "ok")
    return redirect(url_for("staff.published_letter", letter_id=letter.id))

