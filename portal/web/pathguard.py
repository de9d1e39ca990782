"""Control characters in the address answer before any view runs: 404 in the path (no page
has such a name), 400 in the query string. Views never see them, so a NUL byte cannot reach a
database query (PostgreSQL refuses it with an error) nor a newline a redirect header."""

import re

from flask import abort, request

from portal.abuse.form_filters import has_control_chars

# In a path even tab, CR and LF are wrong; the Unicode line separators too.
_PATH_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def refuse_control_characters():
    req = request._get_current_object()  # noqa: SLF001  (one context lookup, not three)
    if _PATH_CONTROL.search(req.path):
        abort(404)
    if not req.environ.get("QUERY_STRING"):
        return  # most requests: nothing to parse
    args = req.args
    if any(has_control_chars(k) or any(has_control_chars(v) for v in args.getlist(k))
           for k in args):
        abort(400)


def register(app):
    # First of all before-request functions, ahead of the CSRF check and the rate limiter: the
    # address itself is wrong, whatever the form holds.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_control_characters)
