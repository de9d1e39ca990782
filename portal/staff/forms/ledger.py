"""The rectification ledger's forms: a problem with its commitment, and its progress."""

from flask_babel import lazy_gettext as _l
from wtforms import MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from models import Progress, Source
from models.rectification import PROGRESS_LABELS, SOURCE_LABELS
from portal.abuse import uploads
from portal.abuse.form_filters import (
    PlainDateField,
    no_control_chars,
    normalize_newlines,
    strip_text,
)
from portal.forms_common import optional_id
from portal.web.form_base import FlaskForm

TEXT = [Length(max=2000), no_control_chars]


class ProblemForm(FlaskForm):
    unit = SelectField(_l("科室"), coerce=optional_id, validators=[InputRequired(_l("请选择科室。"))])
    source = SelectField(_l("问题来源"), choices=[SelectChoice(s.value, SOURCE_LABELS[s])
                                                  for s in Source])
    case_number = StringField(_l("相关事项编号（可选）"), filters=[strip_text],
                              validators=[Length(max=32), no_control_chars])
    description = TextAreaField(_l("问题"), filters=[normalize_newlines],
                                validators=[DataRequired(_l("请描述问题。")), *TEXT])
    measures = TextAreaField(_l("整改措施"), filters=[normalize_newlines],
                             validators=[DataRequired(_l("请填写整改措施。")), *TEXT])
    responsible = StringField(_l("责任人"), filters=[strip_text], validators=[
        DataRequired(_l("请填写责任人。")), Length(max=50), no_control_chars])
    committed_on = PlainDateField(_l("承诺整改时限"), validators=[InputRequired(_l("请填写有效的日期。"))])


class ProgressForm(FlaskForm):
    prepared = ()  # evidence files of this request that passed the checks
    progress = SelectField(_l("进展"), choices=[SelectChoice(p.value, PROGRESS_LABELS[p])
                                                for p in Progress])
    evidence = TextAreaField(_l("整改佐证"), filters=[normalize_newlines], validators=TEXT)
    evidence_files = MultipleFileField(_l("佐证材料（JPG、PNG 或 PDF）"))
    unripe_plan = TextAreaField(_l("下一步计划（条件不成熟时必填，向社会公开）"),
                                filters=[normalize_newlines], validators=TEXT)
    unripe_reason = TextAreaField(_l("原因说明（条件不成熟时必填，向社会公开）"),
                                  filters=[normalize_newlines], validators=TEXT)
    note = TextAreaField(_l("说明"), filters=[normalize_newlines],
                         validators=[Optional(), *TEXT])

    def validate_evidence_files(self, field):
        """The same checks as a filing's attachments: type by content, images re-encoded."""
        uploads.check_file_field(self, field)
