"""Health checks: /healthz answers while the process runs; /readyz names what is not ready."""

import warnings

import pytest
from sqlalchemy import text

from models import db
from tests.appconfig import make_app, redis_fixture, redis_test_url

REDIS_URL = redis_test_url(1)
redis_client = redis_fixture(REDIS_URL)
CLOSED_PORT_PG = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"


@pytest.fixture
def stamped(app):
    """The test schema (made by create_all) stamped by Flask-Migrate's own `flask db stamp`."""

    def stamp(revision):
        with warnings.catch_warnings():  # migrations/env.py calls Flask-SQLAlchemy's get_engine
            warnings.simplefilter("ignore", DeprecationWarning)
            result = app.test_cli_runner().invoke(args=["db", "stamp", revision])
        assert result.exit_code == 0, result.output

    yield stamp
    with app.app_context():
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()


def _get(client, path):
    response = client.get(path)
    return response.status_code, response.get_json(), response.headers


def test_healthz_answers_ok_without_a_cookie(client):
    status, body, headers = _get(client, "/healthz")
    assert (status, body) == (200, {"status": "ok"})
    assert "Set-Cookie" not in headers
    assert headers["Cache-Control"] == "no-store"


def test_readyz_names_migrations_when_the_database_was_never_migrated(client):
    status, body, headers = _get(client, "/readyz")
    assert status == 503
    assert body == {"status": "unavailable", "failing": ["migrations"],
                    "checks": {"database": "ok", "migrations": "not migrated"}}
    assert "Set-Cookie" not in headers


def test_readyz_is_ok_at_head_and_names_an_old_revision(client, stamped):
    stamped("head")
    assert _get(client, "/readyz")[:2] == (
        200, {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}})
    stamped("a66e7c35d159")  # the initial schema
    assert _get(client, "/readyz")[:2] == (
        503, {"status": "unavailable", "failing": ["migrations"],
              "checks": {"database": "ok", "migrations": "not at head"}})


def test_readyz_names_the_database_when_it_is_down(app):
    down = make_app(SQLALCHEMY_DATABASE_URI=CLOSED_PORT_PG)
    status, body, _headers = _get(down.test_client(), "/readyz")
    assert status == 503
    assert body == {"status": "unavailable", "failing": ["database", "migrations"],
                    "checks": {"database": "unreachable", "migrations": "unknown"}}
    assert "nowhere" not in str(body) and "postgres" not in str(body)  # no URL, no user


def test_readyz_checks_each_configured_redis(app, stamped, redis_client):
    stamped("head")
    up = make_app(REDIS_URL=REDIS_URL, RATELIMIT_STORAGE_URI=REDIS_URL)
    assert _get(up.test_client(), "/readyz")[:2] == (200, {"status": "ok", "checks": {
        "database": "ok", "migrations": "ok", "redis": "ok", "ratelimit_redis": "ok"}})
    down = make_app(REDIS_URL="redis://127.0.0.1:1/0", RATELIMIT_STORAGE_URI=REDIS_URL)
    assert _get(down.test_client(), "/readyz")[:2] == (503, {
        "status": "unavailable", "failing": ["redis"], "checks": {
            "database": "ok", "migrations": "ok", "redis": "unreachable",
            "ratelimit_redis": "ok"}})


def test_health_checks_are_exempt_from_every_rate_limit(app):
    from portal.extensions import limiter

    limited = make_app(RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="2 per minute")
    client = limited.test_client()
    try:
        statuses = [client.get("/commitments").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]  # the default limit is really on
        assert [client.get("/healthz").status_code for _ in range(20)] == [200] * 20
        assert [client.get("/readyz").status_code for _ in range(20)] == [503] * 20  # not 429
    finally:
        # The limiter is one object for every app of the process and keeps a default limit
        # once set: later tests' apps must not inherit this one.
        limiter.limit_manager.set_default_limits([])
