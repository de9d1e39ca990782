"""The public blueprint's forms: looking a case up, rating its reply, the questionnaire and its
invitation code. The filing form is shared with the staff's manual entry (portal/forms_common.py).
Forms check shape; services check policy."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from models import RATING_LABELS, RatingValue
from models.appraisal import GROUP_LABELS, PUBLIC_GROUPS, SCALE_LABELS, Scale
from portal.abuse import attempts
from portal.abuse.form_filters import nfkc, no_control_chars, normalize_newlines, strip_text
from portal.forms_common import solved_captcha
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


def rating_name(unit_id, topic_id):
    return f"r_{unit_id}_{topic_id or 'all'}"


def questionnaire_form(questionnaire, topics, public=False):
    """A FlaskForm class with a rating per unit and topic, an overall rating and an opinion per
    unit; the public version also asks the respondent's group and a captcha."""

    class QuestionnaireForm(FlaskForm):
        pass

    for unit in questionnaire.units:
        for topic in [*topics, None]:
            setattr(QuestionnaireForm, rating_name(unit.id, topic.id if topic else None),
                    RadioField(topic.display_name(current_lang()) if topic else _l("总体评价"), choices=SCALE_CHOICES,
                               validators=[InputRequired(_l("请选择一项（不了解的可选“不了解”）。"))]))
        setattr(QuestionnaireForm, f"o_{unit.id}", TextAreaField(
            _l("对%(unit)s的意见和建议（可选，将转交该科室答复）", unit=unit.display_name(current_lang())),
            filters=[normalize_newlines],
            validators=[Length(max=2000, message=_l("不超过 2000 个字。")), no_control_chars]))
    if public:
        QuestionnaireForm.group = RadioField(
            _l("您的身份"), choices=[SelectChoice(g.value, GROUP_LABELS[g]) for g in PUBLIC_GROUPS],
            validators=[InputRequired(_l("请选择您的身份。"))])
        QuestionnaireForm.captcha_id = HiddenField()
        QuestionnaireForm.captcha = StringField(_l("验证码"), filters=[nfkc, strip_text])
        QuestionnaireForm.validate_captcha = solved_captcha
    return QuestionnaireForm()


def answers_of(form, questionnaire, topics):
    """({(unit id, topic id or None): value}, {unit id: opinion}) from a validated form."""
    ratings = {
        (unit.id, topic.id if topic else None):
            form[rating_name(unit.id, topic.id if topic else None)].data
        for unit in questionnaire.units for topic in [*topics, None]
    }
    opinions = {unit.id: form[f"o_{unit.id}"].data or "" for unit in questionnaire.units}
    return ratings, opinions


class InvitationCodeForm(FlaskForm):
    code = StringField(_l("邀请码"), filters=[strip_text], validators=[
        InputRequired(_l("请填写邀请函上的邀请码。")), Length(max=40), no_control_chars])
