"""The migrations build exactly the schema the models declare, on the database under test."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from tests.appconfig import DATABASE_URL

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def empty_database(tmp_path):
    if not DATABASE_URL.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    admin = "host=127.0.0.1 port=5432 user=postgres dbname=test"
    # Named after the database under test, so that parallel runs do not share it.
    name = DATABASE_URL.rsplit("/", 1)[1] + "_migrations"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def flask(*args, url):
    env = os.environ | {"PORTAL_ENV": "development", "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "flask", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_upgrade_then_check_finds_no_difference(empty_database):
    upgraded = flask("db", "upgrade", url=empty_database)
    assert upgraded.returncode == 0, upgraded.stderr
    checked = flask("db", "check", url=empty_database)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    seeded = flask("seed-demo", url=empty_database)
    assert "compilation_lead" in seeded.stdout
    again = flask("seed-demo", url=empty_database)
    assert "nothing changed" in again.stdout
