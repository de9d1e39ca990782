"""The fault tests' own database: a private PostgreSQL server started for the run (see
private_pg.py), so that stopping it breaks nobody else's work on the machine."""

import os

import pytest

from models import db
from tests.appconfig import make_app, seed_reference_data
from tests.chaos.private_pg import PrivatePostgres


@pytest.fixture(scope="session")
def private_postgres():
    try:
        server = PrivatePostgres().create()
    except FileNotFoundError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"fault tests need PostgreSQL's server binaries under CI: {exc}")
        pytest.skip(f"fault tests need PostgreSQL's server binaries: {exc}")
    yield server
    server.destroy()


@pytest.fixture(scope="session")
def app(private_postgres):
    """Overrides the suite's app: the same schema and demo data, on the private server."""
    application = make_app(SQLALCHEMY_DATABASE_URI=private_postgres.url)
    seed_reference_data(application)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
