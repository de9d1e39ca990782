"""The staff search form: one term, checked for length and control characters."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length

from portal.abuse.form_filters import no_control_chars
from portal.web.form_base import FlaskForm


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET that changes nothing; its address can be bookmarked

    # Far too long is refused before it is normalized; the model's own limit says the same.
    q = StringField(_l("查找事项"), validators=[
        Length(max=200, message=_l("搜索内容不能超过 50 个字。")), no_control_chars])
