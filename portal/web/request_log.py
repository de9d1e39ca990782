"""One log line per request: request id, method, route, status, duration and staff user id.

The route is the URL rule (``/track/<number>``), never the path or the query string, and no
form field is logged, so a citizen's contact details and case text never reach the log. The
request id goes back in ``X-Request-ID`` and on error pages, so a citizen or a clerk can quote
it and an operator can find the line.
"""

import json
import logging
import re
import secrets
import sys
import time

from flask import g, request

log = logging.getLogger("pingyi.request")
FIELDS = ("request_id", "method", "route", "status", "duration_ms", "staff_user_id")
# An id set by the proxy in front (nginx's $request_id) is kept so both logs share it; anything
# else a client sends is replaced, so the log never holds arbitrary client text.
INCOMING_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


class _SecondFormatter(logging.Formatter):
    """formatTime with the seconds part written once a second, not once a line."""

    # One tuple, replaced whole: a worker's threads never see one second with another's text.
    _kept = (None, "")

    def formatTime(self, record, datefmt=None):  # noqa: N802  (logging's name)
        second, text = self._kept
        if second != int(record.created):
            text = super().formatTime(record, "%Y-%m-%d %H:%M:%S")
            self._kept = (int(record.created), text)
        return f"{text},{int(record.msecs):03d}"


class TextFormatter(_SecondFormatter):
    def format(self, record):
        fields = record.request_fields
        parts = " ".join(f"{name}={_text(fields[name])}" for name in FIELDS)
        return f"{self.formatTime(record)} request {parts}"


class JsonFormatter(_SecondFormatter):
    def format(self, record):
        line = {"time": self.formatTime(record), "event": "request"}
        line.update(record.request_fields)
        return json.dumps(line, ensure_ascii=False)


FORMATTERS = {"text": TextFormatter, "json": JsonFormatter}


def _text(value):
    return "-" if value is None else value


def register(app):
    _configure(app.config.get("LOG_FORMAT", "text"))
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)


def _configure(log_format):
    if log_format not in FORMATTERS:
        raise RuntimeError(f"LOG_FORMAT must be one of {sorted(FORMATTERS)}, not {log_format!r}")
    handler = next((h for h in log.handlers if getattr(h, "pingyi_request_log", False)), None)
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
        handler.pingyi_request_log = True
        log.addHandler(handler)
    handler.setFormatter(FORMATTERS[log_format]())
    log.setLevel(logging.INFO)
    log.propagate = False  # one line, not a second copy through the root logger


def _start():
    incoming = request.environ.get("HTTP_X_REQUEST_ID", "")
    state = g._get_current_object()  # noqa: SLF001  (one context lookup for both)
    state.request_id = incoming if INCOMING_ID.fullmatch(incoming) else secrets.token_hex(8)
    state.request_started = time.perf_counter()


def current_request_id():
    return g.get("request_id")


def _staff_user_id(state):
    # Only a user this request already loaded: reading current_user here would cost a query
    # on every public page. Staff pages always load theirs.
    user = state.get("_login_user")
    return user.id if user is not None and user.is_authenticated else None


def _finish(response):
    state = g._get_current_object()  # noqa: SLF001
    request_id = state.get("request_id")
    if request_id is None:  # a hook before ours answered (it cannot; kept safe)
        return response
    response.headers.add("X-Request-ID", request_id)
    req = request._get_current_object()  # noqa: SLF001
    rule = req.url_rule
    fields = {
        "request_id": request_id,
        "method": req.method,
        "route": rule.rule if rule is not None else None,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - state.request_started) * 1000, 1),
        "staff_user_id": _staff_user_id(state),
    }
    if log.isEnabledFor(logging.INFO):
        # log.info would look up the caller's file and line through the whole Flask stack
        # (findCaller), which no formatter here prints.
        log.handle(log.makeRecord(log.name, logging.INFO, __name__, 0, "request", (), None,
                                  extra={"request_fields": fields}))
    return response
