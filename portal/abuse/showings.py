"""Showings of a form per client, in a moving window (FILE_FORM_RATE_LIMIT): each showing of a
form with a captcha writes a challenge, and the limit keeps one client from filling the store.

With the captcha on Redis, the showing is counted in the same Redis call that writes its
challenge (captcha.issue runs COUNT_LUA first): counting it through Flask-Limiter took a second
round trip and a quarter of a form view's time. Otherwise (captcha off, no Redis, Redis failing)
it is counted through Flask-Limiter's own strategy and storage, and if that storage fails too,
in this process's memory, so an outage never lifts the limit."""

import logging
import math
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app, g
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

log = logging.getLogger(__name__)

PENDING = "pingyi_showing"  # on g: the showing that this request's challenge must count
MEMORY = "pingyi_showings_memory"


@dataclass(frozen=True)
class Showing:
    scope: str
    client: str
    limit: str  # e.g. "60 per minute"

    @property
    def key(self):
        return f"pingyi:showings:{self.scope}:{self.client}"

    @property
    def item(self):
        return _parsed(self.limit)

    @property
    def window_ms(self):
        return self.item.get_expiry() * 1000


@lru_cache(maxsize=64)
def _parsed(limit):
    # A configured rate is one of a few strings; parsing it is a regex and a lookup per use.
    return parse(limit)


# KEYS[1]: the client's showings, newest first; ARGV[1] now (ms), ARGV[2] window (ms), ARGV[3]
# the limit. Refused: returns the oldest showing that still counts (its age says when to come
# back) and writes nothing. Accepted: falls through to whatever the caller appends.
COUNT_LUA = """
local limit = tonumber(ARGV[3])
local edge = redis.call('LINDEX', KEYS[1], limit - 1)
if edge and tonumber(edge) > tonumber(ARGV[1]) - tonumber(ARGV[2]) then
  return tonumber(edge)
end
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, limit - 1)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
"""


def expect(showing):
    """This request's challenge counts ``showing`` (captcha.issue takes it)."""
    setattr(g, PENDING, showing)


def take():
    """The showing that the challenge being issued must count, once; None when there is none."""
    return g.pop(PENDING, None)


def refuse(showing, edge_ms, now_ms):
    """429, with the seconds until the oldest counted showing leaves the window."""
    wait = max(1, math.ceil((edge_ms + showing.window_ms - now_ms) / 1000))
    raise TooManyRequests(retry_after=wait)


def count(showing, now_ms):
    """Count ``showing`` without a challenge to write with it; 429 past the limit."""
    from portal.extensions import limiter  # the one process-wide limiter, bound to this app

    item, parts = showing.item, ("pingyi", showing.client, showing.scope)
    try:
        strategy = limiter.limiter
        if strategy.hit(item, *parts):
            return
        reset_at = strategy.get_window_stats(item, *parts).reset_time
    except Exception as exc:  # noqa: BLE001  (any storage failure: count here instead)
        log.warning("showings: rate limit storage failed, counting in memory (%s)", exc)
        strategy = current_app.extensions.setdefault(
            MEMORY, MovingWindowRateLimiter(MemoryStorage()))
        if strategy.hit(item, *parts):
            return
        reset_at = strategy.get_window_stats(item, *parts).reset_time
    raise TooManyRequests(retry_after=max(1, math.ceil(reset_at - now_ms / 1000)))
