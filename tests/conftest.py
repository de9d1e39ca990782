"""Fixtures: one app and schema per run on the database named by TEST_DATABASE_URL (SQLite by
default), reference data seeded once, every other table emptied after each test."""

from datetime import date

import pytest

from models import db
from portal.extensions import limiter
from portal.services import demo
from tests.appconfig import DATABASE_URL, make_app

REFERENCE_TABLES = {"unit", "topic", "campaign", "campaign_phase", "staff_user"}

@pytest.fixture(scope="session")
def app():
    application = make_app()
    with application.app_context():
        db.drop_all()
        db.create_all()
        accounts = demo.seed_demo(today=date(2026, 7, 1))
        application.config["DEMO_PASSWORDS"] = {u: p for u, _r, p in accounts}
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
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in REFERENCE_TABLES:
                db.session.execute(table.delete())
        db.session.commit()


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
