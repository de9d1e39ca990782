"""How many mails a public request may make the portal send to one person, counted in the
rate limiter's store (Redis where configured). Beyond the quota nothing is sent and the page
says the same as always, so the quota reveals nothing about who is on file."""

import logging

from flask import current_app
from limits import parse_many

from portal.extensions import limiter

log = logging.getLogger(__name__)


def _items(setting, key):
    ids = (current_app.config["RATELIMIT_KEY_PREFIX"], setting.lower(), key)
    return parse_many(current_app.config[setting]), ids


def room_for(*quotas):
    """Whether every (setting, key) in ``quotas`` has room for one more mail."""
    if not limiter.enabled:
        return True
    try:
        for setting, key in quotas:
            items, ids = _items(setting, key)
            if not all(limiter.limiter.test(item, *ids) for item in items):
                return False
        return True
    except Exception as exc:  # an unreadable count sends nothing: a mail can wait, a flood not
        log.warning("mail quota: counter store unavailable (%s)", exc)
        return False


def charge(*quotas):
    """Count one mail against every (setting, key)."""
    if not limiter.enabled:
        return
    try:
        for setting, key in quotas:
            items, ids = _items(setting, key)
            for item in items:
                limiter.limiter.hit(item, *ids)
    except Exception as exc:
        log.warning("mail quota: counter store unavailable (%s)", exc)
