"""The staff blueprint's forms, by area: signing in and users; the steps of a case and manual
entry; the administrator's calendar, time limits and canned replies; questionnaires and
invitations; the rectification ledger; the self-assessment report. What the public forms share
with these is in portal/forms_common.py. Forms check shape; services check policy."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from models import ROLE_LABELS, STAFF_ROLES, Kind
from models.appraisal import GROUP_LABELS, INVITED_GROUPS
from models.report import SECTION_LABELS, SECTIONS
from portal.abuse import attempts
from portal.abuse.form_filters import no_control_chars, normalize_newlines, strip_text
from portal.forms_common import optional_id
from portal.services.clock import deadline_policy
from portal.web.form_base import FlaskForm


class ConfirmForm(FlaskForm):
    """A step or a button that needs nothing but the click (and its CSRF token)."""


# Signing in, and the administrator's user form.

class LoginForm(FlaskForm):
    username = StringField(
        _l("用户名"),
        filters=[strip_text],
        validators=[DataRequired(_l("请填写用户名。")), Length(max=50), no_control_chars],
    )
    password = PasswordField(
        _l("密码"), validators=[DataRequired(_l("请填写密码。")), Length(max=200)]
    )


class GuardedLoginForm(attempts.CaptchaFields, LoginForm):
    """The login form, with the captcha it shows once its account has had many failures."""


class UserForm(FlaskForm):
    username = StringField(_l("用户名"), filters=[strip_text], validators=[
        DataRequired(_l("请填写用户名。")),
        Regexp(r"^[A-Za-z0-9_.-]{3,50}$", message=_l("用户名为 3 至 50 个字母、数字、点、横线或下划线。"))])
    name = StringField(_l("姓名"), filters=[strip_text], validators=[
        DataRequired(_l("请填写姓名。")), Length(max=50), no_control_chars])
    role = SelectField(_l("角色"), choices=[SelectChoice(r.value, ROLE_LABELS[r])
                                            for r in STAFF_ROLES])
    unit = SelectField(_l("科室（科室负责人和承办人必填）"), coerce=optional_id,
                       validators=[Optional()])
    email = EmailField(_l("电子邮箱"), filters=[strip_text], validators=[
        Optional(), Email(_l("请填写有效的电子邮箱地址。")), Length(max=254)])


# Forms for the steps of a case and for entering cases from other channels.

REASON = [DataRequired(_l("请填写理由。")), Length(2, 1000, _l("理由应为 2 至 1000 个字。")),
          no_control_chars]


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


class ReopenForm(FlaskForm):
    reason = TextAreaField(_l("重办说明（群众可见）"), filters=[normalize_newlines],
                           description=_l("这段说明会显示在群众的查询页面上，并发送到群众的邮箱。"),
                           validators=REASON)
    note = TextAreaField(_l("内部备注（群众看不到）"), filters=[normalize_newlines],
                         description=_l("只在后台的办理经过中显示，给承办科室看。"),
                         validators=[Length(max=1000), no_control_chars])


class UrgeForm(FlaskForm):
    note = TextAreaField(_l("催办意见"), filters=[normalize_newlines],
                         description=_l("随催办邮件发给科室负责人和承办人，并记入办理经过。"),
                         validators=[DataRequired(_l("请填写催办意见。")),
                                     Length(2, 1000, _l("催办意见应为 2 至 1000 个字。")),
                                     no_control_chars])


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


class ExtensionDays:
    """1 to the deadline policy's extension maximum (config), so that the form, its hint and
    the service refuse the same numbers; ``min`` and ``max`` are what the hint shows."""

    min = 1

    @property
    def max(self):
        return deadline_policy().extension_max

    def __call__(self, form, field):
        policy = deadline_policy()
        if not policy.extension_allowed(field.data):
            raise ValidationError(
                _l("延期天数应为 %(min)d 至 %(max)d。", min=self.min, max=policy.extension_max))


class ExtensionRequestForm(FlaskForm):
    days = IntegerField(_l("延期工作日数"), validators=[
        InputRequired(_l("请填写延期天数。")), ExtensionDays()])
    reason = TextAreaField(_l("延期理由（群众可见）"), filters=[normalize_newlines],
                           validators=REASON)


class ExtensionDecisionForm(FlaskForm):
    decision = RadioField(_l("审批意见"), choices=[
        SelectChoice("approve", _l("同意延期")), SelectChoice("refuse", _l("不同意"))],
        validators=[InputRequired(_l("请选择审批意见。"))])


# The administrator's forms: calendar overrides, time limits, canned replies.

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


# The office's questionnaire forms: a questionnaire, one invitation, a CSV of them.

class QuestionnaireForm(FlaskForm):
    title = StringField(_l("问卷名称"), validators=[DataRequired(_l("请填写问卷名称。")),
                                                    Length(max=200), no_control_chars])
    intro = TextAreaField(_l("说明"), validators=[Length(max=2000), no_control_chars])
    units = SelectMultipleField(_l("评议的科室"), coerce=int)
    weight_satisfied = IntegerField(_l("“满意”计分"), default=100,
                                    validators=[InputRequired(), NumberRange(0, 100)])
    weight_basically = IntegerField(_l("“基本满意”计分"), default=80,
                                    validators=[InputRequired(), NumberRange(0, 100)])
    weight_unsatisfied = IntegerField(_l("“不满意”计分"), default=0,
                                      validators=[InputRequired(), NumberRange(0, 100)])
    min_answers = IntegerField(_l("公布结果所需的最少答卷数"), default=5,
                               validators=[InputRequired(), NumberRange(1, 1000)])
    public_link = BooleanField(_l("同时开放公众填写链接（有验证码和频率限制）"))


class InviteForm(FlaskForm):
    name = StringField(_l("姓名"), validators=[DataRequired(_l("请填写姓名。")), Length(max=50),
                                               no_control_chars])
    group = RadioField(_l("身份"), choices=[SelectChoice(g.value, GROUP_LABELS[g])
                                            for g in INVITED_GROUPS],
                       validators=[InputRequired(_l("请选择身份。"))])
    organisation = StringField(_l("单位"), validators=[Length(max=100), no_control_chars])


class UploadForm(FlaskForm):
    file = FileField(_l("CSV 文件（姓名, 评议代表/行风监督员, 单位）"))


# The self-assessment report's forms: the unit's four sections, the office's review.

class ReportForm(FlaskForm):
    submit_now = BooleanField(_l("报送评议办（报送后不能修改）"))


for _name in SECTIONS:
    setattr(ReportForm, _name, TextAreaField(SECTION_LABELS[_name], filters=[normalize_newlines],
                                             validators=[Length(max=20000), no_control_chars]))


class ReviewForm(FlaskForm):
    decision = RadioField(_l("审核意见"), choices=[SelectChoice("accept", _l("通过")),
                                                   SelectChoice("return", _l("退回修改"))],
                          validators=[InputRequired(_l("请选择审核意见。"))])
    comment = TextAreaField(_l("意见"), filters=[normalize_newlines],
                            validators=[Length(max=2000), no_control_chars])


# The ledger's and the manual entry's forms live in modules of their own (one module would
# pass 300 lines); imported here, views keep finding them as ``forms.ProblemForm``.
from portal.staff.forms.entry import EntryForm  # noqa: E402
from portal.staff.forms.ledger import ProblemForm, ProgressForm  # noqa: E402

__all__ = ["EntryForm", "ProblemForm", "ProgressForm"]
