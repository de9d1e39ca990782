"""A per-process memo for expensive public figures: each worker recomputes at most once per
period, and a stale answer is never older than that."""

import threading
import time

_lock = threading.Lock()
_values = {}


def remember(key, seconds, compute, clock=time.monotonic):
    if seconds <= 0:
        return compute()
    now = clock()
    with _lock:
        hit = _values.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
    value = compute()
    with _lock:
        _values[key] = (now + seconds, value)
    return value
