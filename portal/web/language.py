"""Which language a page is shown in: the visitor's choice, else Simplified Chinese."""

from flask.globals import _cv_request


def current_lang():
    """The session's language; commands and mail outside a request use Chinese."""
    # The request context itself, read once: has_request_context() and the session and
    # current_app proxies each looked it up, and a page asks this many times (Babel, templates,
    # the kept pages' keys).
    ctx = _cv_request.get(None)
    if ctx is None:
        return "zh"
    lang = ctx.session.get("lang")
    return lang if lang in ctx.app.config["PORTAL_LANGUAGES"] else "zh"
