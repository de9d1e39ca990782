"""Plain-text rules shared by every form: text is stored as typed and escaped on output."""

import re

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

# C0 controls other than tab, newline and carriage return, DEL, and the C1 block.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_chars(text):
    return bool(text and _CONTROL.search(text))


def no_control_chars(form, field):
    """Refuse NUL bytes and control characters instead of storing or silently dropping them."""
    if isinstance(field.data, str) and has_control_chars(field.data):
        raise ValidationError(_l("含有不允许的控制字符（如空字符），请删除后再提交。"))


def strip_text(value):
    return value.strip() if isinstance(value, str) else value


def normalize_newlines(value):
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value
