"""The test configuration, in a module of its own so that it is imported exactly once."""

import os
import tempfile
from pathlib import Path

import config
from app import create_app

TMP = Path(tempfile.mkdtemp(prefix="pingyi-test-"))
DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{TMP / 'test.sqlite3'}"


class TestConfig(config.TestingConfig):
    SQLALCHEMY_DATABASE_URI = DATABASE_URL
    UPLOAD_FOLDER = str(TMP / "uploads")


def make_app(**overrides):
    return create_app(type("Cfg", (TestConfig,), overrides))
