"""The administrator's pages: the working-day calendar, time limits, canned replies."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from models import CalendarOverride, CannedReply, Kind, access, all_topics, db, time_limits
from portal.abuse.form_filters import no_control_chars
from portal.auth import staff_required
from portal.public.forms import optional_id
from portal.services import reference_data
from portal.staff.views import bp
from portal.web.language import current_lang

ADMIN = access.ADMIN_ROLES
OFFICE = access.OFFICE_ROLES


class OverrideForm(FlaskForm):
    day = DateField(_l("日期"), validators=[InputRequired(_l("请填写有效的日期。"))])
    is_workday = RadioField(_l("这一天"), choices=[
        SelectChoice("1", _l("上班（调休补班）")), SelectChoice("0", _l("休息（节假日）"))],
        validators=[InputRequired(_l("请选择上班或休息。"))])
    note = StringField(_l("说明"), validators=[Length(max=100), no_control_chars])


class DeleteOverrideForm(FlaskForm):
    day = DateField(validators=[InputRequired()])


def limits_form(current):
    class LimitsForm(FlaskForm):
        pass

    for kind in Kind:
        setattr(LimitsForm, kind.value, IntegerField(kind.value, default=current[kind.value],
                validators=[InputRequired(_l("请填写天数。")),
                            NumberRange(1, 60, _l("时限应为 1 至 60 个工作日。"))]))
    return LimitsForm()


class CannedForm(FlaskForm):
    title = StringField(_l("名称"), validators=[DataRequired(_l("请填写名称。")), Length(max=100),
                                                no_control_chars])
    topic = RadioField(_l("适用的评议内容"), coerce=optional_id, validators=[Optional()])
    body = TextAreaField(_l("内容"), validators=[DataRequired(_l("请填写内容。")),
                                                 Length(max=5000), no_control_chars])


@bp.route("/admin/calendar", methods=["GET", "POST"])
@staff_required(*ADMIN)
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
@staff_required(*ADMIN)
def delete_override():
    form = DeleteOverrideForm()
    if form.validate_on_submit():
        reference_data.delete_calendar_override(day=form.day.data)
        flash(_("已删除。"), "ok")
    return redirect(url_for("staff.calendar"))


@bp.route("/admin/limits", methods=["GET", "POST"])
@staff_required(*ADMIN)
def limits():
    form = limits_form(time_limits())
    if form.validate_on_submit():
        reference_data.save_time_limits(limits={k.value: form[k.value].data for k in Kind})
        flash(_("已保存。新的时限适用于此后受理的事项。"), "ok")
        return redirect(url_for("staff.limits"))
    status = 400 if form.is_submitted() else 200
    return render_template("staff/limits.html", form=form, kinds=list(Kind)), status


@bp.route("/admin/canned", methods=["GET", "POST"])
@staff_required(*OFFICE)
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
