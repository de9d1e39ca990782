"""Forms of the inspection records: a record with its findings per section, a finding's two
ways out (ledger problem or routed case), and supervisors' codes. Forms check shape; the
service in portal/services/inspections.py checks policy."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from models import KIND_LABELS
from models.inspection import INSPECTION_KIND_LABELS, InspectionKind
from portal.abuse.form_filters import no_control_chars, normalize_newlines, strip_text
from portal.forms_common import DATE_MESSAGE, TEXT, optional_id, place_field
from portal.services.inspections import CASE_KINDS
from portal.web.form_base import FlaskForm
from portal.web.language import current_lang


def finding_name(unit_id):
    return f"finding_{unit_id}"


def record_form(units):
    """A FlaskForm with the record's own fields and one findings box per section."""

    class RecordForm(FlaskForm):
        kind = SelectField(_l("形式"), choices=[SelectChoice(k.value, INSPECTION_KIND_LABELS[k])
                                                for k in InspectionKind],
                           validators=[InputRequired(_l("请选择形式。"))])
        held_on = DateField(_l("日期"), validators=[InputRequired(DATE_MESSAGE)])
        place = place_field()
        participants = TextAreaField(_l("参加人员"), filters=[normalize_newlines],
                                     validators=TEXT)

    for unit in units:
        setattr(RecordForm, finding_name(unit.id), TextAreaField(
            _l("对%(unit)s的发现（没有可不填）", unit=unit.display_name(current_lang())),
            filters=[normalize_newlines], validators=TEXT))
    form = RecordForm()
    form.finding_fields = [(unit, form[finding_name(unit.id)]) for unit in units]
    return form


class ProblemFromFindingForm(FlaskForm):
    measures = TextAreaField(_l("整改措施"), filters=[normalize_newlines],
                             validators=[DataRequired(_l("请填写整改措施。")), *TEXT])
    responsible = StringField(_l("责任人"), filters=[strip_text], validators=[
        DataRequired(_l("请填写责任人。")), Length(max=50, message=_l("不超过 50 个字。")),
        no_control_chars])
    committed_on = DateField(_l("承诺整改时限"), validators=[InputRequired(DATE_MESSAGE)])


class CaseFromFindingForm(FlaskForm):
    kind = SelectField(_l("类别"), choices=[SelectChoice(k.value, KIND_LABELS[k])
                                            for k in CASE_KINDS],
                       validators=[InputRequired(_l("请选择类别。"))])
    topic = SelectField(_l("评议内容"), coerce=optional_id,
                        validators=[InputRequired(_l("请选择评议内容。"))])
    title = StringField(_l("标题"), filters=[strip_text], validators=[
        DataRequired(_l("请填写标题。")), Length(5, 50, _l("标题应为 5 至 50 个字。")),
        no_control_chars])


class CodeForm(FlaskForm):
    name = StringField(_l("姓名"), filters=[strip_text], validators=[
        DataRequired(_l("请填写姓名。")), Length(max=50, message=_l("不超过 50 个字。")),
        no_control_chars])
    organisation = StringField(_l("单位"), filters=[strip_text], validators=[
        Length(max=100, message=_l("不超过 100 个字。")), no_control_chars])


class RevokeForm(FlaskForm):
    """One button: the code stops working."""
