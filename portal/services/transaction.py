"""What every service that commits does when a rule refuses: roll back, then let it rise.

A refused step must leave nothing half-changed in the session for the view's next query to
flush, and the view must not have to know that: it only shows the message
(``portal.web.errors.message``). See ``models.base.DomainError`` for the message convention.
"""

from functools import wraps

from models import DomainError, db


def rolls_back(service):
    """Decorate a service function: a DomainError it raises first rolls the session back."""

    @wraps(service)
    def wrapped(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except DomainError:
            db.session.rollback()
            raise

    return wrapped
