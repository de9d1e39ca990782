"""Showings of a form per client (portal/abuse/showings.py): counted in the captcha's own Redis
call where there is one, else in the rate limiter's storage, else in memory; a refused showing
writes no challenge and says when to come back; GET and HEAD both count."""

from datetime import UTC, datetime, timedelta

import pytest
from flask import session
from sqlalchemy import func, select
from werkzeug.exceptions import TooManyRequests

from models import CaptchaChallenge, db
from portal.abuse import captcha, showings
from tests.appconfig import make_app, redis_fixture, redis_test_url

REDIS_URL = redis_test_url(1)
DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1

redis_module = redis_fixture(REDIS_URL)


@pytest.fixture
def redis_client(redis_module):
    redis_module.flushdb()  # each test counts keys from an empty database
    return redis_module


def limited_app(**overrides):
    return make_app(**({"RATELIMIT_ENABLED": True, "CAPTCHA_ENABLED": True,
                        "FILE_FORM_RATE_LIMIT": "3 per minute"} | overrides))


def views(client, address, methods=("GET",) * 4):
    return [client.open("/file", method=m, environ_base={"REMOTE_ADDR": address}).status_code
            for m in methods]


def challenges_in(redis_client):
    return len(redis_client.keys("pingyi:captcha:*"))


def challenges_in_database(application):
    with application.app_context():
        count = db.session.scalar(select(func.count()).select_from(CaptchaChallenge))
        db.session.execute(CaptchaChallenge.__table__.delete())
        db.session.commit()
        return count


def test_on_redis_the_fourth_showing_is_refused_and_writes_no_challenge(redis_client):
    client = limited_app(REDIS_URL=REDIS_URL).test_client()
    assert views(client, "10.20.0.1") == [200, 200, 200, 429]
    assert challenges_in(redis_client) == 3
    assert redis_client.llen("pingyi:showings:filing-form:10.20.0.1") == 3
    refused = client.get("/file", environ_base={"REMOTE_ADDR": "10.20.0.1"})
    assert refused.status_code == 429 and "操作过于频繁" in refused.text
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    # Another address has a count of its own.
    assert views(client, "10.20.0.2", ("GET",)) == [200]


def test_a_head_request_counts_like_a_get(redis_client):
    client = limited_app(REDIS_URL=REDIS_URL).test_client()
    assert views(client, "10.20.1.1", ("HEAD", "HEAD", "GET", "GET")) == [200, 200, 200, 429]


def test_the_window_moves_with_the_time_given(app, redis_client):
    application = limited_app(REDIS_URL=REDIS_URL)
    t0 = datetime(2026, 12, 4, 8, 0, 0, tzinfo=UTC)
    with application.test_request_context("/file"):
        session["lang"] = "zh"

        def show(at):
            showings.expect(showings.Showing("filing-form", "10.20.2.1", "3 per minute"))
            return captcha.issue(now=at)

        for seconds in (0, 1, 2):
            assert captcha.CHALLENGE_ID.match(show(t0 + timedelta(seconds=seconds)))
        with pytest.raises(TooManyRequests) as refused:
            show(t0 + timedelta(seconds=30))
        # The oldest counted showing (t0) leaves the window at t0 + 60 s.
        assert refused.value.retry_after == 30
        with pytest.raises(TooManyRequests) as refused:
            show(t0 + timedelta(seconds=59, milliseconds=500))
        assert refused.value.retry_after == 1
        assert show(t0 + timedelta(seconds=60, milliseconds=1))  # t0 has left the window
        with pytest.raises(TooManyRequests):
            show(t0 + timedelta(seconds=60, milliseconds=2))     # t0 + 1 s has not
    assert challenges_in(redis_client) == 4


def test_a_showing_is_counted_once_and_only_by_the_request_that_expects_it(redis_client):
    application = limited_app(REDIS_URL=REDIS_URL)
    with application.test_request_context("/file"):
        showings.expect(showings.Showing("filing-form", "10.20.3.1", "3 per minute"))
        captcha.issue()
        captcha.issue()  # a second challenge on the same page counts nothing more
    assert redis_client.llen("pingyi:showings:filing-form:10.20.3.1") == 1


def test_without_redis_the_limiters_storage_counts_and_challenges_go_to_the_database(app):
    application = limited_app(REDIS_URL=None)
    assert views(application.test_client(), "10.20.4.1") == [200, 200, 200, 429]
    assert challenges_in_database(application) == 3


def test_with_redis_down_the_count_moves_to_the_limiter_and_nothing_is_lifted(app):
    application = limited_app(REDIS_URL=DEAD_REDIS)
    assert views(application.test_client(), "10.20.5.1") == [200, 200, 200, 429]
    assert challenges_in_database(application) == 3


def test_with_every_store_down_each_process_counts_in_memory(app):
    application = limited_app(REDIS_URL=DEAD_REDIS, RATELIMIT_STORAGE_URI=DEAD_REDIS,
                              RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=False)
    assert views(application.test_client(), "10.20.6.1") == [200, 200, 200, 429]
    assert challenges_in_database(application) == 3


def test_with_the_captcha_off_showings_are_still_counted(app):
    client = limited_app(CAPTCHA_ENABLED=False, REDIS_URL=REDIS_URL).test_client()
    assert views(client, "10.20.7.1") == [200, 200, 200, 429]


def test_with_rate_limits_off_nothing_is_counted(app, redis_client):
    client = limited_app(RATELIMIT_ENABLED=False, REDIS_URL=REDIS_URL).test_client()
    assert views(client, "10.20.8.1", ("GET",) * 6) == [200] * 6
    assert redis_client.keys("pingyi:showings:*") == []


def test_a_default_limit_still_applies_to_every_view(app):
    # Flask-Limiter's pass before each request is skipped only while no app-wide limit is set.
    client = make_app(RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="2 per minute").test_client()
    statuses = [client.get("/", environ_base={"REMOTE_ADDR": "10.20.9.1"}).status_code
                for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_a_default_limit_goes_with_its_app(app):
    # One limiter serves every app; an app without RATELIMIT_DEFAULT is not held to another's.
    make_app(RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="1 per minute")
    client = make_app(RATELIMIT_ENABLED=True).test_client()
    statuses = [client.get("/", environ_base={"REMOTE_ADDR": "10.20.10.1"}).status_code
                for _ in range(3)]
    assert statuses == [200, 200, 200]


@pytest.mark.parametrize("rate", ["10 per minute;50 per hour", "often"])
def test_the_form_limit_is_one_rate_or_the_app_does_not_start(app, rate):
    with pytest.raises(RuntimeError, match="^FILE_FORM_RATE_LIMIT takes one rate"):
        make_app(FILE_FORM_RATE_LIMIT=rate)
