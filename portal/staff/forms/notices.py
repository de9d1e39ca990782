"""The office's form for campaign notices."""


from flask_babel import lazy_gettext as _l
from wtforms import DateField, MultipleFileField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from models import Role
from models.workflow import OFFICE
from portal.abuse.form_filters import no_control_chars, normalize_newlines, strip_text
from portal.forms_common import CaseForm
from portal.web.form_base import FlaskForm

OFFICE_ROLES = tuple(Role(r) for r in OFFICE)


class NoticeForm(FlaskForm):
    prepared = held = ()
    title = StringField(_l("标题"), filters=[strip_text], validators=[
        DataRequired(_l("请填写标题。")), Length(max=100, message=_l("标题不超过 100 个字。")),
        no_control_chars])
    body = TextAreaField(_l("正文"), filters=[normalize_newlines], validators=[
        DataRequired(_l("请填写正文。")), Length(max=20000, message=_l("正文不超过 20000 个字。")),
        no_control_chars])
    dated_on = DateField(_l("发布日期"), validators=[InputRequired(_l("请填写有效的日期。"))])
    attachments = MultipleFileField(_l("附件"))

    # The filing form's checks: count, size, type by content, images re-encoded, PDFs with
    # active content refused.
    validate_attachments = CaseForm.validate_attachments
