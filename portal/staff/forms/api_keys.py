"""The administrator's forms for partner API keys."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from portal.abuse.form_filters import no_control_chars, strip_text
from portal.web.form_base import FlaskForm


class ApiKeyForm(FlaskForm):
    name = StringField(_l("合作方名称"), filters=[strip_text], validators=[
        DataRequired(_l("请填写合作方名称。")), Length(max=100), no_control_chars])
    trusted = BooleanField(_l("可向群众转交查询码（合作方向本人展示回执时勾选）"))


class KeyActionForm(FlaskForm):
    """A button."""
