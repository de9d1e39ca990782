"""Web-only extensions, created once and bound to an app in ``create_app``."""

import logging
import time

import flask_limiter
from flask import request
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect


def client_address():
    """The peer address; ProxyFix (only when configured) makes this the real client."""
    return request.remote_addr or "127.0.0.1"


class Limiter(flask_limiter.Limiter):
    """Flask-Limiter (4.1, pinned) that goes back to its storage soon after an outage.

    On a storage error Flask-Limiter marks the storage dead and counts in this process's
    memory (per worker: a client gets N times the limit) until a health check succeeds; it
    re-checks with a backoff of 1, 2, 4 ... 32 s, and the dead mark outlives ``init_app``, so
    an app bound to a healthy Redis still counted in memory. Here the mark is cleared when the
    limiter is bound to an app, and the storage is pinged every RATELIMIT_STORAGE_RECHECK_SECONDS
    while it is marked dead.
    """

    _last_recheck = 0.0

    def init_app(self, app):
        self._storage_dead = False  # a new binding starts on its own storage
        # Flask-Limiter keeps the app-wide, default and meta limits of the first binding whose
        # config set them: a later app without RATELIMIT_DEFAULT was still held to the earlier
        # app's default. The portal sets none in code, so each binding starts from its config.
        self.limit_manager.set_application_limits([])
        self.limit_manager.set_default_limits([])
        self._meta_limits = []
        super().init_app(app)
        if not self.enabled:
            return
        self._recheck_seconds = app.config.get("RATELIMIT_STORAGE_RECHECK_SECONDS", 5)
        # First of the before-request hooks, so the limits of this very request use Redis.
        app.before_request_funcs.setdefault(None, []).insert(0, self._recheck_storage)

    def _check_request_limit(self, callable_name=None, in_middleware=True):
        # Before every request Flask-Limiter looks for app-wide, default, blueprint and meta
        # limits; the portal sets none (each limit is on its own view, checked by its
        # decorator), so that pass, a tenth of a cached page's time, is skipped until one is set.
        if in_middleware and not self._has_request_wide_limits():
            return
        super()._check_request_limit(callable_name=callable_name, in_middleware=in_middleware)

    def _has_request_wide_limits(self):
        manager = self.limit_manager
        return bool(manager.application_limits or manager.default_limits
                    or manager._blueprint_limits or self._meta_limits)  # noqa: SLF001

    def _recheck_storage(self):
        now = time.monotonic()
        if not self._storage_dead or now - self._last_recheck < self._recheck_seconds:
            return
        self._last_recheck = now
        if self._storage is not None and self._storage.check():
            self._storage_dead = False
            logging.getLogger("flask-limiter").info("Rate limit storage recovered")


csrf = CSRFProtect()
limiter = Limiter(key_func=client_address)
babel = Babel()
migrate = Migrate()
login_manager = LoginManager()
