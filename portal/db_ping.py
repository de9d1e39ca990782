"""A pooled PostgreSQL connection is checked before use only when it sat idle.

``pool_pre_ping`` sends a round trip on every checkout, i.e. on every request (~0.25 ms of a
6 ms staff list). A connection that was in use a moment ago is as alive as a ping would show:
if the server went away since, the request fails like one that was running at that moment
(a 503), and SQLAlchemy then replaces every connection of the pool. A connection idle for
DB_PING_IDLE_SECONDS or more (a worker after a quiet night, or after a database restart
while no one was filing) is pinged and, if dead, replaced before the request sees it.
"""

import time

from sqlalchemy import event, exc

_IDLE_SINCE = "pingyi_idle_since"


def ping_when_idle(engine, idle_seconds, clock=time.monotonic, ping=None):
    """Install the check on ``engine``'s pool; ``clock`` is the time source (seconds), ``ping``
    the check itself (the dialect's own by default)."""
    ping = ping or engine.dialect.do_ping

    # A connection just opened is as fresh as one just returned: no ping (as pool_pre_ping).
    # Were it pinged, a second failed ping on the replacement would end the checkout with
    # InvalidRequestError instead of the OperationalError the 503 page answers.
    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def _fresh(dbapi_connection, record):
        record.info[_IDLE_SINCE] = clock()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, proxy):
        since = record.info.get(_IDLE_SINCE)
        if since is not None and clock() - since < idle_seconds:
            return
        try:
            ping(dbapi_connection)
        except Exception as error:  # any failure: the pool tries a fresh connection
            raise exc.DisconnectionError(str(error)) from error
