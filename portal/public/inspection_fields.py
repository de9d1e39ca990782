"""Fields that the office's inspection record and a supervisor's report share."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from portal.abuse.form_filters import no_control_chars, strip_text

DATE_MESSAGE = _l("请填写有效的日期，例如 2026-07-01。")
TEXT = [Length(max=2000, message=_l("不超过 2000 个字。")), no_control_chars]


def place_field():
    return StringField(_l("地点"), filters=[strip_text], validators=[
        DataRequired(_l("请填写地点。")), Length(max=200, message=_l("不超过 200 个字。")),
        no_control_chars])
