"""Rate limits of the public forms, counted per client address; a case number under attack
only brings a captcha to its lookup form (see portal/abuse/attempts.py)."""

import time
from functools import wraps

from flask import current_app, request
from flask_babel import lazy_gettext as _l

from models.typed_codes import normalize_number
from portal.abuse import attempts, showings
from portal.extensions import client_address, limiter

NUMBER_FAILURES = "LOOKUP_FAILURES_BEFORE_CAPTCHA"
LOOKUP_ASKS = _l("该受理编号近期查询失败较多，为保护您的信息，请先输入验证码。")


def number_key(typed):
    return normalize_number(typed or "")[:32]


def _config(name):
    return lambda: current_app.config[name]


def _filed(response):
    return response.status_code == 200


def form_showings(scope):
    """Showings (GET, HEAD) of a form per client, FILE_FORM_RATE_LIMIT, since each one writes a
    captcha challenge to the store. With the captcha on, the challenge's own write counts the
    showing (portal/abuse/showings.py); a showing that issues none (an error page) is free."""
    def decorate(view):
        @wraps(view)
        def limited(*args, **kwargs):
            config = current_app.config
            if request.method in ("GET", "HEAD") and config["RATELIMIT_ENABLED"]:
                showing = showings.Showing(scope, client_address(),
                                           config["FILE_FORM_RATE_LIMIT"])
                if config["CAPTCHA_ENABLED"]:
                    showings.expect(showing)
                else:
                    showings.count(showing, int(time.time() * 1000))
            return view(*args, **kwargs)
        return limited
    return decorate


def filing_limits(view):
    """Accepted filings per client and a looser cap on every POST (typos are not punished);
    the form's showings have their own (form_showings)."""
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
