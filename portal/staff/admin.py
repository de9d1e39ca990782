"""The administrator's pages: the working-day calendar, time limits, canned replies."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from models import CalendarOverride, CannedReply, Kind, access, all_topics, db, time_limits
from portal.auth import staff_required
from portal.services import reference_data
from portal.staff.forms import CannedForm, DeleteOverrideForm, OverrideForm, limits_form
from portal.staff.views import bp
from portal.web.language import current_lang


@bp.route("/admin/calendar", methods=["GET", "POST"])
@staff_required(*access.ADMIN_ROLES)
def calendar():
    form = OverrideForm()
    if form.validate_on_submit():
        reference_data.save_calendar_override(day=form.day.data, is_workday=form.is_workday.data == "1",
                                        note=form.note.data or "")
        flash(_("已保存。"), "ok")
        return redirect(url_for("staff.calendar"))
    rows = db.session.scalars(select(CalendarOverride).order_by(CalendarOverride.day)).all()
    status = 400 if form.is_submitted() else 200
    return render_template("staff/calendar.html", form=form, rows=rows,
                           delete_form=DeleteOverrideForm(formdata=None)), status


@bp.post("/admin/calendar/delete")
@staff_required(*access.ADMIN_ROLES)
def delete_override():
    form = DeleteOverrideForm()
    if form.validate_on_submit():
        reference_data.delete_calendar_override(day=form.day.data)
        flash(_("已删除。"), "ok")
    return redirect(url_for("staff.calendar"))


@bp.route("/admin/limits", methods=["GET", "POST"])
@staff_required(*access.ADMIN_ROLES)
def limits():
    form = limits_form(time_limits())
    if form.validate_on_submit():
        reference_data.save_time_limits(limits={k.value: form[k.value].data for k in Kind})
        flash(_("已保存。新的时限适用于此后受理的事项。"), "ok")
        return redirect(url_for("staff.limits"))
    status = 400 if form.is_submitted() else 200
    return render_template("staff/limits.html", form=form, kinds=list(Kind)), status


@bp.route("/admin/canned", methods=["GET", "POST"])
@staff_required(*access.OFFICE_ROLES)
def canned():
    form = CannedForm()
    form.topic.choices = [SelectChoice("", _("全部"))] + [
        SelectChoice(t.id, t.display_name(current_lang())) for t in all_topics()]
    if form.validate_on_submit():
        reference_data.save_canned_reply(title=form.title.data, body_html=form.body.data,
                                   topic_id=form.topic.data)
        flash(_("已保存。"), "ok")
        return redirect(url_for("staff.canned"))
    rows = db.session.scalars(select(CannedReply).order_by(CannedReply.title)).all()
    status = 400 if form.is_submitted() else 200
    return render_template("staff/canned.html", form=form, rows=rows), status
