"""Campaign notices (宣传发动) in the back office: the office publishes and withdraws them."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from models import DomainError, Role, utcnow
from models.notices import Notice, all_notices
from models.workflow import OFFICE
from portal.auth import staff_required
from portal.services import notices
from portal.services.clock import local_date
from portal.staff.forms.notices import NoticeForm
from portal.staff.views import bp
from portal.web.errors import message
from portal.web.form_base import FlaskForm
from portal.web.ids import row_or_404

OFFICE_ROLES = tuple(Role(r) for r in OFFICE)


def _page(form, status=200):
    return render_template("staff/notices.html", form=form, notices=all_notices(),
                           today=local_date(utcnow())), status


@bp.get("/notices")
@staff_required(*OFFICE_ROLES)
def notices_page():
    form = NoticeForm(formdata=None)
    form.dated_on.data = local_date(utcnow())
    return _page(form)


@bp.post("/notices")
@staff_required(*OFFICE_ROLES)
def add_notice():
    form = NoticeForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        notice = notices.publish_notice(actor=current_user, title=form.title.data,
                                        body=form.body.data, dated_on=form.dated_on.data,
                                        attachments=form.prepared, now=utcnow())
    except DomainError as exc:
        form.title.errors = [message(exc)]
        return _page(form, 403)
    flash(_("已发布通知《%(title)s》。", title=notice.title), "ok")
    return redirect(url_for("staff.notices_page"))


@bp.post("/notices/<int:notice_id>/withdraw")
@staff_required(*OFFICE_ROLES)
def withdraw_notice(notice_id):
    notice = row_or_404(Notice, notice_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        notices.withdraw_notice(notice, actor=current_user)
    except DomainError as exc:
        flash(message(exc), "error")
        return _page(NoticeForm(formdata=None), 409)
    flash(_("已撤下通知《%(title)s》。", title=notice.title), "ok")
    return redirect(url_for("staff.notices_page"))
