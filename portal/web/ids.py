"""Rows looked up by an id from the URL: an id too large for the database's integer (a forged
address) answers 404 like any unknown one, instead of an overflow error from the driver."""

from flask import abort

from models import db

MAX_ID = 2**31 - 1  # PostgreSQL's integer; SQLite's is larger


def row_or_404(model, ident):
    row = db.session.get(model, ident) if 0 < ident <= MAX_ID else None
    return row if row is not None else abort(404)
