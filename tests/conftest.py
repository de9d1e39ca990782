"""Fixtures: one app and schema per run on the database named by TEST_DATABASE_URL (SQLite by
default), reference data seeded once, every other table emptied after each test."""


import pytest

from models import db
from portal.extensions import limiter
from tests.appconfig import DATABASE_URL, empty_tables, make_app, seed_reference_data


@pytest.fixture(scope="session")
def app():
    application = make_app()
    with application.app_context():
        db.drop_all()
    seed_reference_data(application)
    yield application
    with application.app_context():
        db.session.remove()
        db.drop_all()


@pytest.fixture(autouse=True)
def _clean(app):
    yield
    # Other apps made by a test re-bind the process-wide limiter; give it back (limits off).
    limiter.init_app(app)
    with app.app_context():
        empty_tables()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def is_postgres():
    return DATABASE_URL.startswith("postgresql")


@pytest.fixture
def guarded(app):
    """CSRF and captcha on, as in production; limits off so that probes can repeat."""
    application = make_app(WTF_CSRF_ENABLED=True, CAPTCHA_ENABLED=True)
    with application.app_context():
        yield application
        db.session.remove()
