"""Rows looked up by an id from the URL: an id too large for the database's integer (a forged
address) answers 404 like any unknown one, instead of an overflow error from the driver."""

from flask import abort
from werkzeug.routing import IntegerConverter

from models import db

MAX_ID = 2**31 - 1  # PostgreSQL's integer; SQLite's is larger


def row_or_404(model, ident):
    row = db.session.get(model, ident) if 0 < ident <= MAX_ID else None
    return row if row is not None else abort(404)


def _at_most(limit):
    """A regular expression of the decimal numbers 1..limit, ASCII digits, no leading zero."""
    text, parts = str(limit), []
    if len(text) > 1:
        parts.append(f"[1-9][0-9]{{0,{len(text) - 2}}}")
    for i, digit in enumerate(text):
        low = "1" if i == 0 else "0"
        if digit > low:
            below = chr(ord(digit) - 1)
            rest = len(text) - i - 1
            parts.append(text[:i] + (low if below == low else f"[{low}-{below}]")
                         + (f"[0-9]{{{rest}}}" if rest else ""))
    parts.append(text)
    return "(?:" + "|".join(parts) + ")"


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: an id from 1 to MAX_ID in ASCII digits, or no rule matches
    (404). A view that passed a larger id to the database got PostgreSQL's "integer out of
    range" (a 500) wherever it did not go through row_or_404. The range is in the pattern, not
    only in the converter's check: a rule that matched and then failed its check made Werkzeug
    answer 405 where the same address had a rule for another method."""

    regex = _at_most(MAX_ID)

    def __init__(self, map, fixed_digits=0, min=1, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register(app):
    """Before any blueprint: a rule takes its converter when it is added."""
    app.url_map.converters["int"] = IdConverter
