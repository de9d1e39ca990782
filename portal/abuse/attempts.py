"""Failed attempts on one target (a case number, a staff account): counted, never refused.

Refusing by target would let ten strangers lock the owner out for an hour; so past the threshold
the form asks for a captcha instead, and the owner who solves it gets in. Refusals (429) are per
client address only, by the views' rate-limit decorators, which count what ``failed`` says.
Counters live in the rate limiter's store (Redis in production, its memory fallback when down)."""

import logging

from flask import current_app, g
from flask_babel import lazy_gettext as _l
from limits import parse_many
from wtforms import HiddenField, StringField
from wtforms.validators import Length

from portal.abuse import captcha
from portal.abuse.form_filters import strip_text
from portal.extensions import limiter

log = logging.getLogger(__name__)
WRONG_CAPTCHA = _l("验证码不正确或已过期，请输入新图片中的字符。")


class CaptchaFields:
    """The captcha a form shows only when its target has had too many failures."""

    captcha_id = HiddenField(validators=[Length(max=64)])
    captcha = StringField(_l("验证码"), filters=[strip_text], validators=[Length(max=12)])


def failed(_response=None):
    """For ``deduct_when``: this request was a failed attempt (wrong code, no or wrong captcha)."""
    return bool(g.get("attempt_failed"))


def _counting():
    return limiter.enabled and current_app.config["CAPTCHA_ENABLED"]


def _limits(setting, key):
    ids = (current_app.config["RATELIMIT_KEY_PREFIX"], setting.lower(), key)
    return parse_many(current_app.config[setting]), ids


def record_failure(setting, key):
    """Count a failed attempt on ``key``, and against the client (through ``failed``)."""
    g.attempt_failed = True
    if not _counting():
        return
    items, ids = _limits(setting, key)
    try:
        for item in items:
            limiter.limiter.hit(item, *ids)
    except Exception as exc:  # any storage error: the failure goes uncounted, never a 500
        log.warning("attempts: counter store unavailable (%s)", exc)


def captcha_due(setting, key):
    """True when ``key`` has had its share of failures (or the count cannot be read)."""
    if not _counting():
        return False
    items, ids = _limits(setting, key)
    try:
        return not all(limiter.limiter.test(item, *ids) for item in items)
    except Exception as exc:  # unknown count: ask for the captcha, which the owner can solve
        log.warning("attempts: counter store unavailable (%s)", exc)
        return True


def captcha_passed(form, asked_message):
    """Check the form's captcha; on failure the reason is on the field and counts as a failure."""
    if not form.captcha.data:
        form.captcha.errors = [asked_message]
    elif not captcha.check(form.captcha_id.data, form.captcha.data):
        form.captcha.errors = [WRONG_CAPTCHA]
    else:
        return True
    g.attempt_failed = True
    return False


def show_captcha(form):
    """A new challenge on the form about to be shown (each one is good for one try)."""
    form.captcha.data = ""
    form.captcha_id.data = captcha.issue()
    return True


def captcha_for_page(form, setting, key):
    """Whether the page about to be shown must ask for the captcha for ``key`` (a number or an
    account the visitor typed); if so the form gets a fresh challenge."""
    return bool(key) and captcha_due(setting, key) and show_captcha(form)
