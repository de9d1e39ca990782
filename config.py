"""Configuration classes; the only module that reads the environment."""

import math
import os
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent
INSTANCE = ROOT / "instance"


class Config:
    """Shared defaults, safe by default: every abuse control is on."""

    ENV_NAME = "production"

    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    # No ping on every checkout: PostgreSQL connections idle this long are pinged before use
    # (portal/db_ping.py); pool_pre_ping=True here would ping them all again.
    SQLALCHEMY_ENGINE_OPTIONS = {}
    DB_PING_IDLE_SECONDS = float(os.environ.get("DB_PING_IDLE_SECONDS", "1"))
    REDIS_URL = os.environ.get("REDIS_URL")  # captcha answers; rate limits use RATELIMIT_STORAGE_URI
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE / "uploads"))

    # Three attachments of 5 MB plus the text fields; anything larger is refused with 413.
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
    ATTACHMENT_MAX_COUNT = 3

    WTF_CSRF_ENABLED = True
    # A citizen may take long over a complaint; the token lives as long as the session.
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    STAFF_IDLE_TIMEOUT = timedelta(minutes=30)

    CAPTCHA_ENABLED = True
    CAPTCHA_TTL_SECONDS = 300
    # Mandarin voices for the audio captcha, made by `make setup` with espeak-ng.
    CAPTCHA_VOICE_DIR = os.environ.get("CAPTCHA_VOICE_DIR", str(INSTANCE / "captcha-voices"))

    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # While Redis is down each worker counts in memory; ping it this often to go back to it.
    RATELIMIT_STORAGE_RECHECK_SECONDS = 5
    RATELIMIT_KEY_PREFIX = "pingyi"
    # Off: X-RateLimit-* on every limited response cost a second Redis call each time; a 429
    # still says when to come back (Retry-After, portal/web/errors.py).
    RATELIMIT_HEADERS_ENABLED = False
    FILING_RATE_LIMIT = "5 per hour"  # accepted filings
    FILING_ATTEMPT_LIMIT = "30 per hour"  # any POST, typos included
    FILE_FORM_RATE_LIMIT = "60 per minute"  # views of the filing form and of a questionnaire
    # Failures are refused (429) per address only; per case number or staff account they only
    # bring a captcha, so strangers' guesses never lock the owner out.
    LOOKUP_FAILURE_LIMIT_PER_CLIENT = "20 per hour"  # wrong codes and unsolved captchas
    LOOKUP_FAILURES_BEFORE_CAPTCHA = "10 per hour"  # wrong codes for one number
    CAPTCHA_AUDIO_RATE_LIMIT = "10 per minute"
    LOGIN_FAILURE_LIMIT_PER_CLIENT = "10 per minute;50 per hour"  # successes are not counted
    LOGIN_FAILURES_BEFORE_CAPTCHA = "10 per hour"  # wrong passwords for one username
    # A new query code (忘记查询码): requests per address (429 beyond), and codes mailed per
    # case number and per e-mail address (beyond: the same answer, nothing sent).
    CODE_RESET_LIMIT_PER_CLIENT = "10 per hour"
    CODE_RESET_MAILS_PER_NUMBER = "3 per day"
    CODE_RESET_MAILS_PER_EMAIL = "5 per day"

    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    PORTAL_TIMEZONE = "Asia/Shanghai"
    PORTAL_LANGUAGES = ("zh", "en")
    PORTAL_BUREAU_NAME = os.environ.get("PORTAL_BUREAU_NAME", "市规划局")
    PORTAL_BUREAU_NAME_EN = os.environ.get("PORTAL_BUREAU_NAME_EN", "City Planning Bureau")
    PORTAL_HOTLINE = os.environ.get("PORTAL_HOTLINE", "0571-12345678")
    CASE_NUMBER_PREFIX = "PY"
    # The deadline policy's numbers of days (models/deadlines.py), all in working days; the reply
    # limit per kind is reference data the administrator edits (/staff/admin/limits).
    ACCEPTANCE_WORKING_DAYS = 2  # to accept or refuse a new case
    EXTENSION_MAX_WORKING_DAYS = 15  # the most one extension may add
    DUE_SOON_WORKING_DAYS = 3  # the board and the digests mark cases due within this
    RATING_WINDOW_WORKING_DAYS = 20  # the citizen may rate a reply this long; then it closes
    # An unanswered case overdue by more than this many working days goes to the leadership
    # group (领导小组): the escalation list and its daily digest.
    ESCALATION_WORKING_DAYS = int(os.environ.get("ESCALATION_WORKING_DAYS", "5"))
    STATS_CACHE_SECONDS = 60  # public statistics may be a minute old; they cost a full scan
    # How old a worker's copy of the reference data (units, topics, campaign, calendar, time
    # limits, notices) and of the public pages made from it may be: an administrator's change
    # shows on every worker within this many seconds (portal/services/reference_cache.py).
    REFERENCE_CHECK_SECONDS = float(os.environ.get("REFERENCE_CHECK_SECONDS", "2"))
    # On PostgreSQL the report pages and /stats sum the roll-up `flask refresh-stats` refreshes
    # (models/figure_rollup.py) instead of scanning the year's cases; unanswered and overdue
    # stay live. SQLite always computes directly.
    FIGURES_FROM_ROLLUP = True
    PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:5000")

    # Open311 GeoReport v2 for partner systems (portal/api). One jurisdiction is served; a
    # jurisdiction_id other than this one answers 404, none at all is fine (the spec allows it).
    OPEN311_JURISDICTION_ID = (os.environ.get("OPEN311_JURISDICTION_ID")
                               or urlsplit(PORTAL_BASE_URL).hostname or "localhost")
    OPEN311_FILING_RATE_LIMIT = os.environ.get("OPEN311_FILING_RATE_LIMIT", "100 per hour")  # per key
    OPEN311_READ_RATE_LIMIT = "120 per minute"  # per client address, on every GET
    OPEN311_CONTACT = os.environ.get("OPEN311_CONTACT", "")  # shown in discovery.json

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "pingyi@localhost")

    PROXY_FIX_X_FOR = int(os.environ.get("PROXY_FIX_X_FOR", "0"))

    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")  # "json": one JSON object per line
    # Contact details and attachments of cases closed longer than this are erased by
    # `flask purge-personal-data`; the case text and history stay.
    PERSONAL_DATA_RETENTION_DAYS = int(os.environ.get("PERSONAL_DATA_RETENTION_DAYS", str(3 * 365)))


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE / 'pingyi.sqlite3'}"
    )
    SESSION_COOKIE_SECURE = False


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    # Reviewed: tests only; production refuses it.
    SECRET_KEY = "test-secret-key"  # noqa: S105  # nosec B105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    SESSION_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = False
    CAPTCHA_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    REDIS_URL = None
    STATS_CACHE_SECONDS = 0
    # Tests change reference data from outside a live server's process: look every request.
    REFERENCE_CHECK_SECONDS = float(os.environ.get("REFERENCE_CHECK_SECONDS", "0"))
    # Pages show what a test just did; the roll-up itself is tested in test_figure_rollup.py.
    FIGURES_FROM_ROLLUP = False


class ProductionConfig(Config):
    """Refuses to start without a real secret and database (see check_production)."""


DEV_SECRETS = {None, "", "dev-only-not-secret", "test-secret-key", "change-me"}

CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config():
    """The config class named by PORTAL_ENV; production unless told otherwise."""
    name = os.environ.get("PORTAL_ENV", "production")
    if name not in CONFIGS:
        raise RuntimeError(f"PORTAL_ENV must be one of {sorted(CONFIGS)}, not {name!r}")
    return CONFIGS[name]


KEY_ADVICE = (
    "Production needs SECRET_KEY: a random value of 32 characters or more, e.g. "
    "python -c 'import secrets; print(secrets.token_hex(32))'"
)
MIN_SECRET_LENGTH = 32
MIN_SECRET_DISTINCT = 8
# Letter-frequency (Shannon) estimate over the whole key. secrets.token_hex(16) scores 92 at the
# least and token_hex(32) 219; 32 identical characters score 0. (A rule of 16 distinct characters
# would refuse one token_hex(32) key in forty: 64 hex digits often miss a few of the sixteen.)
MIN_SECRET_BITS = 80


def _shannon_bits(text):
    counts = Counter(text)
    return -sum(n * math.log2(n / len(text)) for n in counts.values())


def _patterned(text):
    """A block repeated (``abcd`` * 8), or mostly runs of neighbouring characters (``abcdef``)."""
    if text in (text + text)[1:-1]:
        return True
    steps = sum(abs(ord(a) - ord(b)) <= 1 for a, b in zip(text, text[1:], strict=False))
    return steps * 2 > len(text) - 1


def weak_secret(secret):
    """True when ``secret`` is missing, a known development value, short or patterned."""
    if not isinstance(secret, str) or secret in DEV_SECRETS or len(secret) < MIN_SECRET_LENGTH:
        return True
    return (
        len(set(secret)) < MIN_SECRET_DISTINCT
        or _shannon_bits(secret) < MIN_SECRET_BITS
        or _patterned(secret)
    )


def check_form_showings(config):
    """FILE_FORM_RATE_LIMIT is one rate: the form views' count (portal/abuse/showings.py) keeps
    one moving window, so a second rate after ';' would be ignored without a word."""
    from limits import parse_many

    advice = "FILE_FORM_RATE_LIMIT takes one rate, e.g. '60 per minute'"
    try:
        rates = parse_many(config["FILE_FORM_RATE_LIMIT"])
    except ValueError as exc:
        raise RuntimeError(f"{advice}: {exc}") from exc
    if len(rates) != 1:
        raise RuntimeError(advice)


def check_production(config):
    """Raise when a production config lacks a real secret key or a database URL."""
    if weak_secret(config.get("SECRET_KEY")):
        raise RuntimeError(KEY_ADVICE)
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        raise RuntimeError("Production needs DATABASE_URL")
