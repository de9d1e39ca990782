"""The public blueprint's forms: looking a case up, rating its reply, the questionnaire and its
invitation code, a lost query code, a supervisor's code and report. The filing form is shared with the staff's manual entry (portal/forms_common.py).
Forms check shape; services check policy."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
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
    StopValidation,
    ValidationError,
)

from models import RATING_LABELS, RatingValue
from models.appraisal import GROUP_LABELS, PUBLIC_GROUPS, SCALE_LABELS, Scale
from portal.abuse import attempts, captcha
from portal.abuse.form_filters import (
    captcha_shape_ok,
    has_control_chars,
    nfkc,
    no_control_chars,
    normalize_newlines,
    strip_text,
)
from portal.forms_common import DATE_MESSAGE, optional_id, place_field, solved_captcha
from portal.web.form_base import FlaskForm
from portal.web.language import current_lang


class LookupForm(FlaskForm):
    number = StringField(
        _l("受理编号"),
        filters=[strip_text],
        validators=[DataRequired(_l("请填写受理编号。")), Length(max=32), no_control_chars],
    )
    code = StringField(
        _l("查询码"),
        filters=[strip_text],
        validators=[DataRequired(_l("请填写查询码。")), Length(max=32), no_control_chars],
    )


class RatingForm(FlaskForm):
    value = RadioField(
        _l("您对答复的评价"),
        choices=[SelectChoice(v.value, RATING_LABELS[v]) for v in RatingValue],
        validators=[InputRequired(_l("请选择评价。"))],
    )
    reason = TextAreaField(
        _l("意见或不满意的原因"),
        filters=[normalize_newlines],
        validators=[Length(max=1000, message=_l("不超过 1000 个字。")), no_control_chars],
    )


class GuardedLookupForm(attempts.CaptchaFields, LookupForm):
    """The lookup form, with the captcha it shows once its number has had too many failures."""


SCALE_CHOICES = [SelectChoice(s.value, SCALE_LABELS[s]) for s in Scale]


OPINION_MAX = 2000


def rating_name(unit_id, topic_id):
    return f"r_{unit_id}_{topic_id or 'all'}"


class OverallUnlessSkipped:
    """The overall rating is the one answer a unit needs, unless the respondent ticked that
    they do not know the unit at all (then it counts as 不了解)."""

    field_flags = {"required": True}

    def __init__(self, unit_id):
        self.skip_name = f"d_{unit_id}"

    def __call__(self, form, field):
        if form[self.skip_name].data:
            field.errors[:] = []
            raise StopValidation()
        if not field.data:
            raise StopValidation(_l("请选择一项（不了解的可选“不了解”）。"))


def questionnaire_form(questionnaire, topics, public=False, data=None):
    """A FlaskForm class per questionnaire: per unit an overall rating (required), a rating per
    topic (optional), a "do not know this unit" box, and an opinion with the topic it is
    about; the public version also asks the respondent's group and a captcha. ``data`` fills
    it from a saved draft."""

    class QuestionnaireForm(FlaskForm):
        pass

    lang = current_lang()
    topic_choices = [SelectChoice("", _l("（整体）"))] + [
        SelectChoice(str(t.id), t.display_name(lang)) for t in topics]
    for unit in questionnaire.units:
        for topic in topics:
            setattr(QuestionnaireForm, rating_name(unit.id, topic.id), RadioField(
                topic.display_name(lang), choices=SCALE_CHOICES, validators=[Optional()]))
        setattr(QuestionnaireForm, rating_name(unit.id, None), RadioField(
            _l("总体评价"), choices=SCALE_CHOICES, validators=[OverallUnlessSkipped(unit.id)]))
        setattr(QuestionnaireForm, f"d_{unit.id}", BooleanField(
            _l("我不了解%(unit)s（整个科室记为“不了解”，可不再逐项选择）",
               unit=unit.display_name(lang))))
        setattr(QuestionnaireForm, f"o_{unit.id}", TextAreaField(
            _l("对%(unit)s的意见和建议（可选，将转交该科室答复）", unit=unit.display_name(lang)),
            filters=[normalize_newlines],
            validators=[Length(max=OPINION_MAX, message=_l("不超过 2000 个字。")),
                        no_control_chars]))
        setattr(QuestionnaireForm, f"ot_{unit.id}", SelectField(
            _l("意见涉及的方面"), choices=topic_choices, default=""))
    if public:
        QuestionnaireForm.group = RadioField(
            _l("您的身份"), choices=[SelectChoice(g.value, GROUP_LABELS[g]) for g in PUBLIC_GROUPS],
            validators=[InputRequired(_l("请选择您的身份。"))])
        QuestionnaireForm.captcha_id = HiddenField()
        QuestionnaireForm.captcha = StringField(_l("验证码"), filters=[nfkc, strip_text])
        QuestionnaireForm.validate_captcha = solved_captcha
    return QuestionnaireForm(data=data)


def answers_of(form, questionnaire, topics):
    """({(unit id, topic id or None): value}, {unit id: (opinion, topic id or None)}) from a
    validated form. Topics left blank are not answers; a unit ticked as unknown is one 不了解."""
    ratings, opinions = {}, {}
    for unit in questionnaire.units:
        if form[f"d_{unit.id}"].data:
            ratings[(unit.id, None)] = Scale.DONT_KNOW.value
        else:
            for topic in [*topics, None]:
                value = form[rating_name(unit.id, topic.id if topic else None)].data
                if value:
                    ratings[(unit.id, topic.id if topic else None)] = value
        about = form[f"ot_{unit.id}"].data
        opinions[unit.id] = (form[f"o_{unit.id}"].data or "", int(about) if about else None)
    return ratings, opinions


def draft_of_form(form, questionnaire, topics):
    """What is worth keeping of a half-filled form: choices that are valid, opinions within
    the limits; anything else is left out, never refused (the final submit judges it)."""
    scale = {s.value for s in Scale}
    topic_ids = {str(t.id) for t in topics}
    kept = {}
    for unit in questionnaire.units:
        for topic in [*topics, None]:
            name = rating_name(unit.id, topic.id if topic else None)
            if form[name].data in scale:
                kept[name] = form[name].data
        if form[f"d_{unit.id}"].data:
            kept[f"d_{unit.id}"] = True
        text = form[f"o_{unit.id}"].data or ""
        if text and len(text) <= OPINION_MAX and not has_control_chars(text):
            kept[f"o_{unit.id}"] = text
        if form[f"ot_{unit.id}"].data in topic_ids:
            kept[f"ot_{unit.id}"] = form[f"ot_{unit.id}"].data
    return kept


class InvitationCodeForm(FlaskForm):
    code = StringField(_l("邀请码"), filters=[strip_text], validators=[
        InputRequired(_l("请填写邀请函上的邀请码。")), Length(max=40), no_control_chars])


class CodeResetForm(FlaskForm):
    number = StringField(_l("受理编号"), filters=[strip_text], validators=[
        DataRequired(_l("请填写受理编号。")), Length(max=32), no_control_chars])
    email = StringField(_l("提交时填写的电子邮箱"), filters=[nfkc, strip_text], validators=[
        DataRequired(_l("请填写电子邮箱。")), Length(max=254),
        Email(_l("请填写有效的电子邮箱地址。")), no_control_chars])
    captcha_id = HiddenField(validators=[Length(max=64)])
    captcha = StringField(_l("验证码"), filters=[nfkc, strip_text], validators=[Length(max=12)])

    def validate_captcha(self, field):
        if not current_app.config["CAPTCHA_ENABLED"]:
            return
        if not (captcha_shape_ok(self.captcha_id.data, field.data)
                and captcha.check(self.captcha_id.data, field.data)):
            raise ValidationError(_l("验证码不正确或已过期，请输入新图片中的字符。"))


class SupervisorCodeForm(FlaskForm):
    code = StringField(_l("监督员码"), filters=[strip_text], validators=[
        InputRequired(_l("请填写评议办发给您的监督员码。")), Length(max=40), no_control_chars])


class SupervisorReportForm(FlaskForm):
    unit = SelectField(_l("被检查的科室"), coerce=optional_id,
                       validators=[InputRequired(_l("请选择科室。"))])
    held_on = DateField(_l("检查日期"), validators=[InputRequired(DATE_MESSAGE)])
    place = place_field()
    text = TextAreaField(_l("看到的情况"), filters=[normalize_newlines], validators=[
        DataRequired(_l("请写下您看到的情况。")),
        Length(10, 2000, _l("应为 10 至 2000 个字。")), no_control_chars])
    captcha_id = HiddenField()
    captcha = StringField(_l("验证码"), filters=[nfkc, strip_text])
    validate_captcha = solved_captcha  # the same check as every public form

    def validate_unit(self, field):
        if field.data is None:
            raise ValidationError(_l("请选择科室。"))
