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


# What `db check` cannot see: the roll-up's materialized views, the partial covering index, the
# search's expression index and statistics targets are raw SQL, written into their migrations
# as text. The models' definitions (create_all, the database under test) and the migrated ones
# must be the same objects, or a change to models/figure_rollup.py or models/case_search.py
# lacks the revision that brings it to deployed databases.
RAW_SQL_OBJECTS = """
    SELECT 'view', matviewname, definition FROM pg_matviews WHERE schemaname = 'public'
    UNION ALL
    SELECT 'index', indexname, indexdef FROM pg_indexes
     WHERE schemaname = 'public' AND tablename IN ('case', 'case_day_figures', 'case_reply_pairs')
    UNION ALL
    SELECT 'table', table_name, string_agg(column_name || ' ' || data_type, ', ')
      FROM information_schema.columns WHERE table_name = 'figures_refreshed'
     GROUP BY table_name
    UNION ALL
    SELECT 'statistics', attrelid::regclass || '.' || attname, attstattarget::text
      FROM pg_attribute
     WHERE attrelid IN ('"case"'::regclass, 'ix_case_search_pairs'::regclass)
       AND attstattarget > 0
    ORDER BY 1, 2
"""


def test_migrated_raw_sql_objects_are_the_models(app, empty_database):
    if not DATABASE_URL.startswith("postgresql"):
        pytest.skip("SQLite computes the figures directly: no roll-up objects")
    upgraded = flask("db", "upgrade", url=empty_database)
    assert upgraded.returncode == 0, upgraded.stderr
    dsn = empty_database.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as migrated:
        from_migrations = migrated.execute(RAW_SQL_OBJECTS).fetchall()
    with psycopg.connect(DATABASE_URL.replace("postgresql+psycopg://", "postgresql://")) as made:
        from_models = made.execute(RAW_SQL_OBJECTS).fetchall()
    names = {(kind, name) for kind, name, _ in from_migrations}
    # The objects this check exists for, named out so that an empty query cannot pass it.
    assert {("view", "case_day_figures"), ("view", "case_reply_pairs"),
            ("index", "ix_case_day_figures"), ("index", "ix_case_reply_pairs"),
            ("index", "ix_case_unanswered_cover"), ("index", "ix_case_search_pairs"),
            ("table", "figures_refreshed"), ("statistics", 'ix_case_search_pairs.regexp_replace'),
            ("statistics", '"case".title'), ("statistics", '"case".name'),
            ("statistics", '"case".content')} <= names
    assert from_migrations == from_models
