"""Plain-text rules shared by every form: text is stored as typed and escaped on output."""

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms import DateField
from wtforms.validators import ValidationError

# C0 controls other than tab, newline and carriage return, DEL, and the C1 block.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_chars(text):
    return bool(text and _CONTROL.search(text))


def without_control_chars(text):
    return _CONTROL.sub("", text or "")


def no_control_chars(form, field):
    """Refuse NUL bytes and control characters instead of storing or silently dropping them."""
    if isinstance(field.data, str) and has_control_chars(field.data):
        raise ValidationError(_l("含有不允许的控制字符（如空字符），请删除后再提交。"))


def strip_text(value):
    return value.strip() if isinstance(value, str) else value


def normalize_newlines(value):
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def nfkc(value):
    """Full-width letters and digits (what a Chinese input method types) as plain ones."""
    return unicodedata.normalize("NFKC", value) if isinstance(value, str) else value


_CAPTCHA_ID = re.compile(r"[A-Za-z0-9_-]{8,128}")
_CAPTCHA_ANSWER = re.compile(r"[A-Za-z0-9 ]{1,12}")


def captcha_shape_ok(challenge_id, typed):
    """Whether the pair could be a challenge id and an answer at all. Anything else is simply
    wrong, without asking the store: a NUL would break the database query, a non-ASCII answer
    the constant-time comparison."""
    return bool(isinstance(challenge_id, str) and _CAPTCHA_ID.fullmatch(challenge_id)
                and isinstance(typed, str) and _CAPTCHA_ANSWER.fullmatch(typed))


class PlainDateField(DateField):
    """A date field that also reads the full-width digits a Chinese input method types
    (２０２６-０６-２４), as every other field does."""

    def process_formdata(self, valuelist):
        super().process_formdata([nfkc(v).strip() for v in valuelist])
