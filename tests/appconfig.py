"""The test configuration, in a module of its own so that it is imported exactly once."""

import os
import tempfile
from pathlib import Path

from flask.testing import FlaskClient

import config
from app import create_app

TMP = Path(tempfile.mkdtemp(prefix="pingyi-test-"))
DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{TMP / 'test.sqlite3'}"
# Parallel runs on one machine (several clones) each take their own Redis databases.
REDIS_DB_BASE = int(os.environ.get("TEST_REDIS_DB_BASE", "14"))


def redis_test_url(offset=0):
    """A Redis database for tests: TEST_REDIS_DB_BASE + offset on 127.0.0.1:6379."""
    return f"redis://127.0.0.1:6379/{REDIS_DB_BASE + offset}"


class TestConfig(config.TestingConfig):
    SQLALCHEMY_DATABASE_URI = DATABASE_URL
    UPLOAD_FOLDER = str(TMP / "uploads")


class FreshContextClient(FlaskClient):
    """Each request gets its own app context (and so its own g and database session), as in a
    real server, even while the test itself holds one open to inspect the database."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def make_app(**overrides):
    app = create_app(type("Cfg", (TestConfig,), overrides))
    app.test_client_class = FreshContextClient
    return app


def empty_redis(url):
    """A real Redis database emptied for the test; skipped where none runs, failed under CI."""
    import os

    import pytest
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis must answer at 127.0.0.1:6379 under CI")
        pytest.skip("no Redis at 127.0.0.1:6379")
    client.flushdb()
    return client


def redis_fixture(url):
    """A module-scoped fixture: the Redis database at ``url``, emptied before and after."""
    import pytest

    @pytest.fixture(scope="module")
    def fixture():
        client = empty_redis(url)
        yield client
        client.flushdb()

    return fixture


REFERENCE_TABLES = {"unit", "topic", "campaign", "campaign_phase", "staff_user"}


def empty_tables():
    """Every table but the reference data, emptied (inside an app context)."""
    from models import db
    from models.reference_stamp import renew_stamp

    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        if table.name not in REFERENCE_TABLES:
            db.session.execute(table.delete())
    # Deleting rows with plain SQL passes no ORM hook: tell every worker's cache (live servers
    # of other tests included) that overrides, limits and notices are gone.
    renew_stamp(db.session)
    db.session.commit()


def seed_reference_data(application):
    """The schema and the demo bureau on the app's database; the demo passwords in its config."""
    from datetime import date

    from models import db
    from portal.services import demo

    with application.app_context():
        db.create_all()
        accounts = demo.seed_demo(today=date(2026, 7, 1))
        application.config["DEMO_PASSWORDS"] = {u: p for u, _r, p in accounts}


def decide_on_stale_copies(app, model, ident, steps, fresh):
    """Two requests that both loaded the row before either decided: the row ``ident`` of
    ``model`` is loaded in one app context (its own session) per step, all before any step runs,
    each copy asserted ``fresh``; then each step runs on its copy, the context pushed last
    first. Returns what each step returned, or the message of the DomainError it raised (its
    session rolled back)."""
    from models import DomainError, db

    loaded = []
    for _step in steps:
        context = app.app_context()
        context.push()
        row = db.session.get(model, ident)
        assert fresh(row), row
        loaded.append((context, row))
    outcomes = []
    for (context, row), step in zip(reversed(loaded), steps, strict=True):
        try:
            outcomes.append(step(row))
        except DomainError as exc:
            db.session.rollback()
            outcomes.append(str(exc))
        finally:
            db.session.remove()
            context.pop()
    return outcomes


def sql_statements():
    """A context manager collecting the text of every SQL statement sent while it is open
    (inside an app context)."""
    from contextlib import contextmanager

    from sqlalchemy import event

    from models import db

    @contextmanager
    def collecting():
        seen = []

        def record(_conn, _cursor, statement, *_args):
            seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield seen
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    return collecting()
