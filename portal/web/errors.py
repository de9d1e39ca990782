"""Error pages in the visitor's language, for every status the app answers with."""

import logging
import time

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError

from models import DomainError, db
from portal.abuse.uploads import MB
from portal.extensions import limiter
from portal.web.request_log import current_request_id

log = logging.getLogger(__name__)


def _messages():
    config = current_app.config
    return {
        400: _("请求有误，请检查后重试。"),
        403: _("您没有权限访问此页面。"),
        404: _("页面不存在，或您无权查看。"),
        405: _("不支持此请求方式。"),
        413: _("提交的内容过大：每个附件不超过 %(mb)d MB，总计不超过 %(total)d MB。请返回上一页，删减附件后再提交。",
               mb=config["ATTACHMENT_MAX_BYTES"] // MB, total=config["MAX_CONTENT_LENGTH"] // MB),
        429: _("操作过于频繁，请稍后再试。"),
        500: _("系统出现错误，请稍后再试。如需帮助请拨打热线电话。"),
        503: _("系统暂时无法处理请求，您填写的内容未丢失：请返回上一页，稍后再提交。"),
    }


# Free-text fields a visitor may have typed; echoed back on a 503 so that nothing is lost.
TYPED_FIELDS = ("title", "content", "reason", "body", "text")


def message(exc):
    """A DomainError's message in the reader's language: the one place one is translated."""
    return exc.translated(_)


def render_error(code, message=None, typed=None):
    # The request id is on every error page: the visitor quotes it, the log line has it.
    return (
        render_template(
            "errors/error.html",
            code=code,
            message=message or _messages()[code],
            reference=current_request_id(),
            typed=typed or {},
        ),
        code,
    )


def too_many(error):
    """429 with Retry-After. Flask-Limiter's own headers are off (RATELIMIT_HEADERS_ENABLED):
    they cost a second Redis call on every limited request, which is every form view; the
    wait is worked out here, for the few requests that are refused. A form showing refused
    by portal/abuse/showings.py carries its own wait."""
    response = render_error(429)
    wait = getattr(error, "retry_after", None)
    try:
        limit = limiter.current_limit if wait is None else None
        if limit is not None:
            wait = limit.reset_at - int(time.time())
    except Exception:  # noqa: BLE001  (storage gone: the page still answers, without the hint)
        wait = None
    if wait is not None:
        return response[0], 429, {"Retry-After": str(max(1, wait))}
    return response


def register(app):
    for code in (400, 403, 404, 405, 413):
        app.register_error_handler(code, lambda e, code=code: render_error(code))
    app.register_error_handler(429, too_many)

    # nginx refuses a body over client_max_body_size itself and shows this page for it
    # (deploy/nginx-pingyi.conf), so the visitor reads the app's words, in their language.
    app.add_url_rule("/errors/413", "too_large", lambda: render_error(413))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _("页面已过期或来源不明，请刷新页面后重试。"))

    @app.errorhandler(OperationalError)
    def database_down(error):
        db.session.rollback()
        log.error("database unavailable request_id=%s route=%s: %s", current_request_id(),
                  request.url_rule, error.orig)
        typed = {k: request.form[k] for k in TYPED_FIELDS if request.form.get(k)}
        response = render_error(503, typed=typed)
        return response[0], 503, {"Retry-After": "30"}

    @app.errorhandler(DomainError)
    def domain_error(error):
        # Only a refusal no view expected gets here; services have rolled back already, this
        # also covers one raised by a model outside a service.
        db.session.rollback()
        return render_error(400, message(error))

    @app.errorhandler(500)
    def server_error(error):
        log.error("error request_id=%s route=%s", current_request_id(), request.url_rule,
                  exc_info=error)
        return render_error(500)
