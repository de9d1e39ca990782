"""What the public and the staff forms share: select values that are ids, the captcha check,
and the case form (filed by citizens, typed in by staff from other channels) with its builder.
Text filters are in portal/abuse/form_filters.py. Forms check shape; services check policy."""

import re
import secrets

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from models import KIND_LABELS, Kind, access, active_units, all_topics
from portal.abuse import captcha, uploads
from portal.abuse.form_filters import (
    captcha_shape_ok,
    nfkc,
    no_control_chars,
    normalize_newlines,
    strip_text,
)
from portal.services.reference_cache import cached
from portal.web.form_base import FlaskForm
from portal.web.language import current_lang

SUBMISSION_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def optional_id(value):
    """Select values: '' means 'not sure', anything else must be a whole number."""
    if value in (None, "", "None"):
        return None
    return int(value)


def solved_captcha(form, field):
    """A validator for a form's ``captcha`` field (with its ``captcha_id``): the characters of
    the image it was shown, unless captchas are switched off."""
    if not current_app.config["CAPTCHA_ENABLED"]:
        return
    if not (captcha_shape_ok(form.captcha_id.data, field.data)
            and captcha.check(form.captcha_id.data, field.data)):
        raise ValidationError(_l("验证码不正确或已过期，请输入新图片中的字符。"))


class CaseForm(FlaskForm):
    prepared = ()  # files of this request that passed the checks
    held = ()  # files kept from earlier tries of this form (pending.Held)
    kind = RadioField(
        _l("类别"),
        choices=[SelectChoice(k.value, KIND_LABELS[k]) for k in Kind],
        validators=[InputRequired(_l("请选择类别。"))],
    )
    target_unit = SelectField(_l("涉及科室"), coerce=optional_id, validate_choice=True)
    topic = SelectField(
        _l("评议内容"),
        coerce=optional_id,
        validators=[InputRequired(_l("请选择评议内容。"))],
    )
    title = StringField(
        _l("标题"),
        filters=[strip_text],
        validators=[
            DataRequired(_l("请填写标题。")),
            Length(5, 50, _l("标题应为 5 至 50 个字。")),
            no_control_chars,
        ],
    )
    content = TextAreaField(
        _l("内容"),
        filters=[normalize_newlines],
        validators=[
            DataRequired(_l("请填写内容。")),
            Length(10, 2000, _l("内容应为 10 至 2000 个字。")),
            no_control_chars,
        ],
    )
    attachments = MultipleFileField(_l("附件"))
    name = StringField(
        _l("姓名"), filters=[strip_text], validators=[Length(max=50), no_control_chars]
    )
    phone = StringField(
        _l("电话"),
        # Full-width digits and dashes (１３８…, －) are what a Chinese input method types.
        filters=[nfkc, strip_text],
        validators=[
            Optional(),
            Regexp(r"^\+?[0-9][0-9 -]{5,19}$", message=_l("请填写有效的电话号码（数字、空格或短横线）。")),
        ],
    )
    email = StringField(
        _l("电子邮箱"),
        filters=[strip_text],
        validators=[Optional(), Length(max=254), Email(_l("请填写有效的电子邮箱地址。"))],
    )
    publish_consent = BooleanField(_l("同意在隐去个人信息后公开本件及答复"))
    captcha_id = HiddenField()
    captcha = StringField(_l("验证码"), filters=[nfkc, strip_text])
    # A field people never see; automated senders fill it in.
    website = StringField(_l("请勿填写此项"))
    submission_key = HiddenField(validators=[Optional(), Regexp(SUBMISSION_KEY)])

    def valid_key(self):
        """The submission key if it has the shape of one the server gave out, else None."""
        key = self.submission_key.data
        return key if isinstance(key, str) and SUBMISSION_KEY.match(key) else None

    def validate_phone(self, field):
        no_control_chars(self, field)

    def validate_email(self, field):
        no_control_chars(self, field)

    def validate_topic(self, field):
        if field.data is None:
            raise ValidationError(_l("请选择评议内容。"))

    def validate_website(self, field):
        if field.data:
            raise ValidationError(_l("提交未被接受。"))

    def validate_captcha(self, field):
        solved_captcha(self, field)

    def validate_attachments(self, field):
        """The good files wait in ``self.prepared`` (and are held if the form has other
        errors), each refused one gets its own message."""
        uploads.check_file_field(self, field, already=len(self.held))

    def case_fields(self):
        """The values a citizen gave, as the case's own columns."""
        return {
            "kind": self.kind.data,
            "target_unit_id": self.target_unit.data,
            "topic_id": self.topic.data,
            "title": self.title.data,
            "content": self.content.data,
            "name": self.name.data or "",
            "phone": self.phone.data or "",
            "email": self.email.data or "",
            "publish_consent": bool(self.publish_consent.data),
        }


def build_case_form(form_class=CaseForm, **form_args):
    """The case form (or a subclass of it) with units and topics from the database;
    ``form_args`` go to the form (the API passes its own formdata)."""
    form = form_class(**form_args)
    units, topics = cached(("case_form_choices", current_lang()), _case_form_choices)
    form.target_unit.choices, form.topic.choices = list(units), list(topics)
    if not form.submission_key.data:
        form.submission_key.data = secrets.token_urlsafe(16)
    return form


def _case_form_choices():
    lang = current_lang()
    units = (SelectChoice("", _("不确定")),) + tuple(
        SelectChoice(u.id, u.display_name(lang)) for u in access.receiving_units(active_units()))
    topics = (SelectChoice("", _("请选择")),) + tuple(
        SelectChoice(t.id, t.display_name(lang)) for t in all_topics())
    return units, topics


# Fields that the office's inspection record and a supervisor's report share.
DATE_MESSAGE = _l("请填写有效的日期，例如 2026-07-01。")
TEXT = [Length(max=2000, message=_l("不超过 2000 个字。")), no_control_chars]


def place_field():
    return StringField(_l("地点"), filters=[strip_text], validators=[
        DataRequired(_l("请填写地点。")), Length(max=200, message=_l("不超过 200 个字。")),
        no_control_chars])
