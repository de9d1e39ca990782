"""Staff forms: login first; the case forms live in case_forms.py."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from portal.abuse.form_filters import no_control_chars, strip_text


class LoginForm(FlaskForm):
    username = StringField(
        _l("用户名"),
        filters=[strip_text],
        validators=[DataRequired(_l("请填写用户名。")), Length(max=50), no_control_chars],
    )
    password = PasswordField(
        _l("密码"), validators=[DataRequired(_l("请填写密码。")), Length(max=200)]
    )
