"""The office's forms for published letters: the redacted copy and withdrawing it."""


from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from models import Role
from models.workflow import OFFICE
from portal.abuse.form_filters import no_control_chars, normalize_newlines, strip_text
from portal.web.form_base import FlaskForm

TEXT = [Length(max=5000, message=_l("不超过 5000 个字。")), no_control_chars]
OFFICE_ROLES = tuple(Role(r) for r in OFFICE)


class LetterForm(FlaskForm):
    title = StringField(_l("标题"), filters=[strip_text], validators=[
        DataRequired(_l("请填写标题。")), Length(max=100), no_control_chars])
    question = TextAreaField(_l("来信内容（脱敏后）"), filters=[normalize_newlines],
                             validators=[DataRequired(_l("请填写来信内容。")), *TEXT])
    answer = TextAreaField(_l("答复（脱敏后）"), filters=[normalize_newlines],
                           validators=[DataRequired(_l("请填写答复。")), *TEXT])


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_l("撤回原因"), filters=[normalize_newlines], validators=[
        DataRequired(_l("请写明撤回的原因。")), Length(max=1000), no_control_chars])
