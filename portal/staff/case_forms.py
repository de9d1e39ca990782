"""Forms for the steps of a case and for entering cases from other channels."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from models import CHANNEL_LABELS, MANUAL_CHANNELS
from portal.abuse.form_filters import PlainDateField, no_control_chars, normalize_newlines
from portal.public.forms import CaseForm, optional_id

REASON = [DataRequired(_l("请填写理由。")), Length(2, 1000, _l("理由应为 2 至 1000 个字。")),
          no_control_chars]


class ConfirmForm(FlaskForm):
    """Steps that need nothing but the click (and its CSRF token)."""


class AcceptForm(FlaskForm):
    unit = SelectField(_l("同时交办给"), coerce=optional_id, validators=[Optional()])
    note = TextAreaField(_l("内部备注"), filters=[normalize_newlines],
                         validators=[Length(max=1000), no_control_chars])


class AssignForm(FlaskForm):
    unit = SelectField(_l("承办科室"), coerce=optional_id,
                       validators=[InputRequired(_l("请选择承办科室。"))])
    note = TextAreaField(_l("交办意见"), filters=[normalize_newlines],
                         validators=[Length(max=1000), no_control_chars])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("理由"), filters=[normalize_newlines], validators=REASON)


class NoteForm(FlaskForm):
    text = TextAreaField(_l("内部备注"), filters=[normalize_newlines],
                         validators=[DataRequired(_l("请填写备注。")), Length(max=2000),
                                     no_control_chars])


class ReplyForm(FlaskForm):
    body = TextAreaField(
        _l("答复内容"),
        validators=[DataRequired(_l("请填写答复内容。")), Length(max=20000), no_control_chars],
    )
    submit_for_approval = BooleanField(_l("提交科室负责人审核"))


class HandlerForm(FlaskForm):
    handler = SelectField(_l("承办人"), coerce=optional_id,
                          validators=[InputRequired(_l("请选择承办人。"))])


class ExtensionRequestForm(FlaskForm):
    days = IntegerField(_l("延期工作日数"), validators=[
        InputRequired(_l("请填写延期天数。")), NumberRange(1, 15, _l("延期天数应为 1 至 15。"))])
    reason = TextAreaField(_l("延期理由（群众可见）"), filters=[normalize_newlines],
                           validators=REASON)


class ExtensionDecisionForm(FlaskForm):
    decision = RadioField(_l("审批意见"), choices=[
        SelectChoice("approve", _l("同意延期")), SelectChoice("refuse", _l("不同意"))],
        validators=[InputRequired(_l("请选择审批意见。"))])


class EntryForm(CaseForm):
    """A case taken by phone, letter, forum, visit or inspection, typed in by staff."""

    channel = SelectField(
        _l("渠道"),
        choices=[SelectChoice(c.value, CHANNEL_LABELS[c]) for c in MANUAL_CHANNELS],
        validators=[InputRequired(_l("请选择渠道。"))],
    )
    address = StringField(_l("地址"), validators=[Length(max=200), no_control_chars])
    # Left empty, the case counts from today, as one typed in while the caller is on the line.
    received_on = PlainDateField(_l("收到日期"), validators=[Optional()])
    accept = BooleanField(_l("同时受理"))
    unit = SelectField(_l("并交办给"), coerce=optional_id, validators=[Optional()])

    def case_fields(self):
        return super().case_fields() | {"channel": self.channel.data,
                                        "address": self.address.data or ""}

    def validate_captcha(self, field):
        """Staff are signed in; the captcha guards only the public form."""
