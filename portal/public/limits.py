"""Rate limits of the public forms, counted per client address and per case number."""

from flask import current_app, request

from ..extensions import client_address, limiter
from ..services.intake import normalize_number


def _number_key():
    return "lookup-number:" + normalize_number(request.form.get("number", ""))[:32]


def _config(name):
    return lambda: current_app.config[name]


def _filed(response):
    return response.status_code == 200


def _failed_lookup(response):
    return response.status_code == 404


def filing_limits(view):
    """Accepted filings per client, and a looser cap on every POST (typos are not punished)."""
    view = limiter.limit(
        _config("FILING_RATE_LIMIT"),
        methods=["POST"],
        key_func=client_address,
        deduct_when=_filed,
        scope="filing-accepted",
    )(view)
    return limiter.limit(_config("FILING_ATTEMPT_LIMIT"), methods=["POST"], scope="filing-any")(view)


def lookup_limits(view):
    """Wrong number/code pairs, counted both per client and per number."""
    view = limiter.limit(
        _config("LOOKUP_FAILURE_LIMIT_PER_CLIENT"),
        methods=["POST"],
        deduct_when=_failed_lookup,
        scope="lookup-client",
    )(view)
    return limiter.limit(
        _config("LOOKUP_FAILURE_LIMIT_PER_NUMBER"),
        methods=["POST"],
        key_func=_number_key,
        deduct_when=_failed_lookup,
        scope="lookup-number",
    )(view)
