"""Rate limits of the public forms, counted per client address; a case number under attack
only brings a captcha to its lookup form (see portal/abuse/attempts.py)."""

from flask import current_app
from flask_babel import lazy_gettext as _l

from portal.abuse import attempts
from portal.extensions import client_address, limiter
from portal.services.intake import normalize_number

NUMBER_FAILURES = "LOOKUP_FAILURES_BEFORE_CAPTCHA"
LOOKUP_ASKS = _l("该受理编号近期查询失败较多，为保护您的信息，请先输入验证码。")


def number_key(typed):
    return normalize_number(typed or "")[:32]


def _config(name):
    return lambda: current_app.config[name]


def _filed(response):
    return response.status_code == 200


def filing_limits(view):
    """Accepted filings per client, a looser cap on every POST (typos are not punished), and
    one on showing the form, since each showing writes a captcha challenge to the store."""
    view = limiter.limit(
        _config("FILE_FORM_RATE_LIMIT"), methods=["GET"], key_func=client_address,
        scope="filing-form",
    )(view)
    view = limiter.limit(
        _config("FILING_RATE_LIMIT"),
        methods=["POST"],
        key_func=client_address,
        deduct_when=_filed,
        scope="filing-accepted",
    )(view)
    return limiter.limit(_config("FILING_ATTEMPT_LIMIT"), methods=["POST"], scope="filing-any")(view)


def lookup_limits(view):
    """Failed lookups (wrong pair, captcha not solved) per client; beyond it 429."""
    return limiter.limit(
        _config("LOOKUP_FAILURE_LIMIT_PER_CLIENT"),
        methods=["POST"],
        deduct_when=attempts.failed,
        scope="lookup-client",
    )(view)
