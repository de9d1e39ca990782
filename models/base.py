"""The database handle, the declarative base and the domain's error type."""

from datetime import UTC, datetime

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow():
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC on both databases (SQLite drops the offset on its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)


class DomainError(Exception):
    """A rule of the domain refused the request; the message is shown to the user.

    One convention for every message raised in models/ and portal/services/: the text is the
    Chinese msgid marked with ``N_`` (models cannot import Flask, and a lazy string would bind
    services to a request), its variables are keyword arguments, never formatted in::

        raise DomainError(N_("用户名 %(name)s 已被使用。"), name=username)

    It is translated when shown, in one place: ``portal.web.errors.message(exc)`` (views flash
    it or put it on a form field). ``str(exc)`` is the Chinese text with the variables filled
    in, for logs and the command line. Services roll the session back before the error reaches
    the view (``portal.services.transaction.rolls_back``), so views never call rollback.
    """

    def __init__(self, message, **params):
        super().__init__(message)
        self.message, self.params = message, params

    def __str__(self):
        return str(self.message) % self.params if self.params else str(self.message)

    def translated(self, gettext):
        """The message in the reader's language, ``gettext`` being flask_babel's or a
        template's ``_`` (both fill in the variables)."""
        return gettext(self.message, **self.params)


class FieldError(DomainError):
    """A rule refused the value of one form field; the view shows the message beside it."""

    def __init__(self, message, field, **params):
        super().__init__(message, **params)
        self.field = field
