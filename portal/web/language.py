"""Which language a page is shown in: the visitor's choice, else Simplified Chinese."""

from flask import current_app, has_request_context, session


def current_lang():
    """The session's language; commands and mail outside a request use Chinese."""
    lang = session.get("lang") if has_request_context() else None
    return lang if lang in current_app.config["PORTAL_LANGUAGES"] else "zh"
