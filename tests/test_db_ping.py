"""portal/db_ping.py on a real PostgreSQL server: a connection used a moment ago goes out
without a ping; one idle for DB_PING_IDLE_SECONDS is pinged, and a dead one is replaced before
the request sees it."""

import pytest
from sqlalchemy import create_engine, event, exc, text

from portal.db_ping import ping_when_idle
from tests.appconfig import DATABASE_URL

pytestmark = pytest.mark.skipif(not DATABASE_URL.startswith("postgresql"),
                                reason="pings PostgreSQL connections only")


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def pooled():
    """An engine of one pooled connection with the idle ping, its clock, and the statements
    it sent through the engine (the ping itself goes through the DBAPI cursor)."""
    engine = create_engine(DATABASE_URL, pool_size=1, max_overflow=0)
    clock, sent = Clock(), []
    engine.pings = []

    def ping(dbapi_connection):
        engine.pings.append(clock())
        return engine.dialect.do_ping(dbapi_connection)

    ping_when_idle(engine, 1.0, clock=clock, ping=ping)

    @event.listens_for(engine, "before_cursor_execute")
    def _record(conn, cursor, statement, *args):
        sent.append(statement)

    yield engine, clock, sent
    engine.dispose()


def backend_pid(engine):
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar()


def kill(pid):
    killer = create_engine(DATABASE_URL)
    with killer.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar() is True
    killer.dispose()


def test_a_connection_used_within_the_second_is_not_pinged(pooled):
    engine, clock, sent = pooled
    pid = backend_pid(engine)
    clock.now += 0.9
    assert backend_pid(engine) == pid
    assert sent == ["SELECT pg_backend_pid()", "SELECT pg_backend_pid()"]
    # Killed while recently used: the next use fails like a request running at that moment,
    # and the pool replaces the connection for the one after.
    kill(pid)
    clock.now += 0.5
    with pytest.raises(exc.OperationalError) as failed:
        backend_pid(engine)
    assert failed.value.connection_invalidated is True
    assert backend_pid(engine) != pid


def test_an_idle_dead_connection_is_replaced_before_use(pooled):
    engine, clock, _sent = pooled
    pid = backend_pid(engine)
    assert engine.pings == []  # a connection just opened goes out unpinged
    kill(pid)
    clock.now += 1.0  # idle as long as the setting: pinged, found dead, replaced
    fresh = backend_pid(engine)
    assert fresh != pid
    assert engine.pings == [1001.0]  # the dead one only: its replacement is new
    clock.now += 5
    assert backend_pid(engine) == fresh  # alive: the ping passes and the connection stays
    assert engine.pings == [1001.0, 1006.0]


def test_the_app_pings_its_idle_connections(app):
    import time

    from models import db

    with app.app_context():
        assert not app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("pool_pre_ping")
        db.engine.dispose()  # one pooled connection: the next checkout takes the killed one
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        db.session.remove()
    kill(pid)
    time.sleep(app.config["DB_PING_IDLE_SECONDS"] + 0.05)
    with app.app_context():
        assert db.session.execute(text("SELECT pg_backend_pid()")).scalar() != pid
        db.session.remove()
