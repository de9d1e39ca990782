"""Public pages made from reference data alone (home, the filing form, the lookup form) and the
filing receipt's words: rendered once per worker for each language, day and reference stamp,
with the few parts that belong to one request (CSRF token, captcha id, form key; the receipt's
number, code, title, times) written in at the markers left for them.

Only a request without a query string or pending flash messages is served this way (for the
pages, a plain GET); anything else (a form with errors, a prefilled number) renders in full.
"""

import secrets

from flask import current_app, request, session
from markupsafe import escape

from portal.services.reference_cache import cached
from portal.web.language import current_lang

# Random per process, so no text a citizen could type ever matches a marker.
_MARK = "pyslot" + secrets.token_hex(8)


def slot(name):
    """The marker rendered in place of one per-request value (letters and digits only, so
    escaping leaves it as it is)."""
    return f"{_MARK}{name}x"


def fillable():
    """Whether this request's page may be a kept one: no query string (the language link
    names the path), no flashed message waiting to be shown."""
    return not request.query_string and "_flashes" not in session


def servable():
    return request.method == "GET" and fillable()


def page(key, render, values):
    """The page for ``key`` (with the language added), ``render()`` run once per stamp; each
    ``values[name]`` written in at ``slot(name)``."""
    config = current_app.config
    # The controls decide which markers a page has (no captcha field when captchas are off).
    controls = config["WTF_CSRF_ENABLED"], config["CAPTCHA_ENABLED"]
    html = cached(("page", current_lang(), controls, *key), render)
    for name, value in values.items():
        html = html.replace(slot(name), str(escape(value)))
    return html
