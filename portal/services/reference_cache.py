"""Reference data, and what is made from it alone, kept per worker process while the reference
stamp (models/reference_stamp.py) stays the same.

A worker reads the stamp once per request at most, and then only when its last look is older
than REFERENCE_CHECK_SECONDS; its own changes show at once. So an administrator's change reaches
every worker within that many seconds. Values kept here must be plain data (tuples, frozen
dataclasses, strings), never ORM objects, which belong to one session.
"""

import threading
import time
from dataclasses import dataclass

from flask import current_app, g

from models import all_topics, all_units, db
from models.org import BilingualName
from models.reference_stamp import LocalChanges, read_stamp

MAX_ENTRIES = 256  # keys are few (pages x languages x days); a full store starts over
_MISSING = object()


class _Store:
    def __init__(self):
        self.lock = threading.Lock()
        self.token = None
        self.local = None
        self.checked = float("-inf")
        self.values = {}


def _store():
    return current_app.extensions.setdefault("pingyi_reference_cache", _Store())


def current_token(clock=time.monotonic):
    """The stamp this worker's copies belong to, read again when it may be out of date."""
    store, now = _store(), clock()
    fresh = store.local == LocalChanges.count and (
        g.get("_reference_checked") or now - store.checked
        < current_app.config["REFERENCE_CHECK_SECONDS"])
    if fresh:
        return store.token
    token = read_stamp(db.session)
    with store.lock:
        if token != store.token or store.local != LocalChanges.count:
            store.values = {}
        store.token, store.local, store.checked = token, LocalChanges.count, now
    g._reference_checked = True
    return token


def cached(key, compute):
    """``compute()`` once per stamp in this worker. The stamp is read before computing, so a
    value is never older than the stamp it is kept under."""
    token = current_token()
    store = _store()
    value = store.values.get(key, _MISSING)
    if value is not _MISSING:
        return value
    value = compute()
    with store.lock:
        if store.token == token:
            if len(store.values) >= MAX_ENTRIES:
                store.values = {}
            store.values[key] = value
    return value


@dataclass(frozen=True)
class Named(BilingualName):
    """A plain copy of a unit or a topic, which may be kept across requests."""

    id: int
    name: str
    name_en: str
    active: bool = True


def units():
    """Every unit, inactive ones too, in their order."""
    return cached("units", lambda: tuple(
        Named(u.id, u.name, u.name_en or "", u.active) for u in all_units()))


def topics():
    return cached("topics", lambda: tuple(
        Named(t.id, t.name, t.name_en or "") for t in all_topics()))
