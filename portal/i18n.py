"""Which language a page is shown in: the visitor's choice, else Simplified Chinese."""

from flask import current_app, session


def current_lang():
    lang = session.get("lang")
    return lang if lang in current_app.config["PORTAL_LANGUAGES"] else "zh"
