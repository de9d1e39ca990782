"""The portal with production's controls on, for bench/load.py: CSRF, captcha answers in Redis,
rate limits counted in Redis (with limits too high to refuse the load generator, so that every
request pays for the counting but none is turned away)."""

import os

import app as portal
from config import TestingConfig

REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
LOOSE = "1000000 per minute"


class ProdLikeConfig(TestingConfig):
    WTF_CSRF_ENABLED = True
    CAPTCHA_ENABLED = True
    REDIS_URL = REDIS
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = REDIS
    FILING_RATE_LIMIT = FILING_ATTEMPT_LIMIT = FILE_FORM_RATE_LIMIT = LOOSE
    LOOKUP_FAILURE_LIMIT_PER_CLIENT = LOOSE
    REFERENCE_CHECK_SECONDS = 2


def create_app():
    return portal.create_app(ProdLikeConfig)
