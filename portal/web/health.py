"""Health checks for a load balancer: /healthz (the process answers) and /readyz (its
database, Redis and schema are usable). No sign-in, no session, no rate limit, no secrets."""

from functools import cache

import redis
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

import config as config_module
from models import db
from portal.extensions import limiter

bp = Blueprint("health", __name__)
# A load balancer polls every second: Redis gets a short leash so one hung check cannot pile up.
REDIS_TIMEOUT_SECONDS = 1


@bp.get("/healthz")
@limiter.exempt
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
@limiter.exempt
def readyz():
    checks = {"database": _database(), "migrations": "ok"}
    if checks["database"] == "ok":
        checks["migrations"] = _migrations()
    else:
        checks["migrations"] = "unknown"
    for name, url in _redis_urls().items():
        checks[name] = _redis(url)
    failing = sorted(name for name, state in checks.items() if state != "ok")
    body = {"status": "unavailable" if failing else "ok", "checks": checks}
    if failing:
        body["failing"] = failing
    return jsonify(body), 503 if failing else 200


def _database():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any driver error means "not ready"; the answer names no detail
        db.session.rollback()
        return "unreachable"
    return "ok"


@cache
def _script_heads():
    """The migration heads in the code; read once per process (the files do not change)."""
    return frozenset(ScriptDirectory(str(config_module.ROOT / "migrations")).get_heads())


def _migrations():
    try:
        rows = db.session.execute(text("SELECT version_num FROM alembic_version")).scalars()
        applied = frozenset(rows)
    except Exception:  # no alembic_version table: never migrated
        db.session.rollback()
        return "not migrated"
    return "ok" if applied == _script_heads() else "not at head"


def _redis_urls():
    """Each Redis the app is configured to use: captcha answers and rate-limit counters."""
    urls = {}
    if current_app.config.get("REDIS_URL"):
        urls["redis"] = current_app.config["REDIS_URL"]
    storage = current_app.config.get("RATELIMIT_STORAGE_URI") or ""
    if storage.startswith(("redis://", "rediss://")):
        urls["ratelimit_redis"] = storage
    return urls


@cache
def _redis_client(url):
    return redis.Redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
                                socket_timeout=REDIS_TIMEOUT_SECONDS)


def _redis(url):
    try:
        _redis_client(url).ping()
    except redis.RedisError:
        return "unreachable"
    return "ok"
