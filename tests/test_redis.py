"""Production storage on real Redis: captcha answers and rate-limit counters shared by workers,
and the database fallback when Redis is down."""

import logging
import shutil
import subprocess
import time

import pytest
import redis

from models import db
from portal.abuse import captcha
from tests.appconfig import make_app, redis_fixture, redis_test_url
from tests.factories import form_data
from tests.live import free_port

REDIS_URL = redis_test_url(1)


redis_client = redis_fixture(REDIS_URL)


def test_captcha_answer_lives_in_redis_and_is_single_use(app, redis_client):
    application = make_app(REDIS_URL=REDIS_URL, CAPTCHA_ENABLED=True)
    with application.app_context():
        challenge = captcha.issue()
        stored = redis_client.get(f"pingyi:captcha:{challenge}").decode()
        assert 0 < redis_client.ttl(f"pingyi:captcha:{challenge}") <= 300
        assert 0 < redis_client.ttl(f"pingyi:captcha-session:{challenge}") <= 300
        assert captcha.check(challenge, stored.lower()) is True
        assert captcha.check(challenge, stored) is False  # replay
        assert redis_client.get(f"pingyi:captcha:{challenge}") is None
        assert redis_client.get(f"pingyi:captcha-session:{challenge}") is None
        db.session.remove()


def test_captcha_falls_back_to_the_database_when_redis_is_down(app, caplog):
    application = make_app(REDIS_URL="redis://127.0.0.1:1/0", CAPTCHA_ENABLED=True)
    with application.app_context(), caplog.at_level(logging.WARNING):
        challenge = captcha.issue()
        answer = captcha.peek(challenge)
        assert answer and captcha.check(challenge, answer) is True
        assert captcha.check(challenge, answer) is False
        db.session.remove()
    assert "Redis unavailable" in caplog.text


def test_filing_limit_is_shared_through_redis_across_app_instances(app, redis_client):
    settings = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": REDIS_URL}
    statuses = []
    for i in range(7):
        # A new app per request stands for another worker process: memory counters would reset.
        worker = make_app(**settings)
        with worker.app_context():
            response = worker.test_client().post(
                "/file", data=form_data(submission_key=f"redis-limit-{i:02d}-abcdefgh"),
                environ_base={"REMOTE_ADDR": "10.6.0.1"},
            )
            statuses.append(response.status_code)
            db.session.remove()
    assert statuses == [200] * 5 + [429, 429]
    assert any(b"filing" in key for key in redis_client.keys("*"))


def test_filing_still_works_when_the_limit_store_is_down(app, caplog):
    worker = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    with worker.app_context(), caplog.at_level(logging.WARNING):
        client = worker.test_client()
        statuses = [
            client.post("/file", data=form_data(submission_key=f"fallback-{i:02d}-abcdefghijk"),
                        environ_base={"REMOTE_ADDR": "10.6.0.2"}).status_code
            for i in range(6)
        ]
        db.session.remove()
    # The in-memory fallback still limits this worker: nobody is locked out, nobody floods.
    assert statuses == [200] * 5 + [429]
    assert "falling back to in-memory storage" in caplog.text


def test_failures_for_a_number_are_counted_across_workers_through_redis(app, redis_client):
    from tests.factories import make_case

    settings = {"RATELIMIT_ENABLED": True, "CAPTCHA_ENABLED": True,
                "RATELIMIT_STORAGE_URI": REDIS_URL, "REDIS_URL": REDIS_URL}
    with app.app_context():
        case, code = make_case()
        db.session.remove()
    statuses = []
    for i in range(11):
        worker = make_app(**settings)  # another worker process each time
        with worker.app_context():
            response = worker.test_client().post(
                "/track", data={"number": case.number, "code": code if i == 10 else f"WRONG{i:07d}"},
                environ_base={"REMOTE_ADDR": f"10.6.1.{i}"})
            statuses.append(response.status_code)
            db.session.remove()
    # The owner, after ten strangers on ten workers, is asked for the captcha (not refused).
    assert statuses == [404] * 10 + [400]
    assert "请先输入验证码" in response.get_data(as_text=True)
    assert any(b"lookup_failures_before_captcha" in key for key in redis_client.keys("*"))


def _start_redis(port, folder):
    """A redis-server of the test's own (never the shared one on 6379), without persistence,
    so a restart comes back empty."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port, socket_connect_timeout=0.2)
    for _ in range(100):
        try:
            client.ping()
            return server, client
        except redis.ConnectionError:
            time.sleep(0.05)
    server.kill()
    pytest.fail(f"redis-server did not start on port {port}")


def _stop_redis(server):
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def own_redis(tmp_path):
    port = free_port()
    servers = [_start_redis(port, tmp_path)]

    def restart():
        _stop_redis(servers[-1][0])
        servers.append(_start_redis(port, tmp_path))
        return servers[-1][1]

    yield port, servers, restart
    for server, _client in servers:
        if server.poll() is None:
            _stop_redis(server)


def _file(client, i, address):
    return client.post("/file", data=form_data(submission_key=f"recover-{address.replace('.', '-')}-{i:02d}-abcdefgh"),
                       environ_base={"REMOTE_ADDR": address}).status_code


def test_a_new_app_on_healthy_redis_does_not_inherit_an_earlier_outage(app, own_redis):
    """The limiter is one object per process; an outage seen by one app must not keep the next
    app (another test, or the app after a reload) on per-process memory counters."""
    port, servers, _restart = own_redis
    down = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    with down.app_context():
        assert _file(down.test_client(), 0, "10.6.0.3") == 200  # on the fallback
        db.session.remove()
    statuses = []
    for i in range(7):
        worker = make_app(RATELIMIT_ENABLED=True,
                          RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{port}/0")
        with worker.app_context():
            statuses.append(_file(worker.test_client(), i, "10.6.0.4"))
            db.session.remove()
    assert statuses == [200] * 5 + [429, 429]
    assert any(b"filing" in key for key in servers[0][1].keys("*"))


def test_limits_return_to_redis_soon_after_it_comes_back(app, own_redis, caplog):
    port, servers, restart = own_redis
    worker = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{port}/0",
                      RATELIMIT_STORAGE_RECHECK_SECONDS=1)
    with worker.app_context(), caplog.at_level(logging.INFO):
        client = worker.test_client()
        assert _file(client, 0, "10.6.0.5") == 200
        assert any(b"filing" in key for key in servers[0][1].keys("*"))
        _stop_redis(servers[0][0])
        # Four seconds of outage, one filing every 1.2 s: Flask-Limiter's own re-check backs
        # off (1, 2, 4 ... 32 s between attempts); alone it would stay on memory for 4 s more.
        outage = []
        for i in range(1, 5):
            outage.append(_file(client, i, "10.6.0.5"))
            time.sleep(1.2 if i < 4 else 0)
        assert outage == [200] * 4  # memory counters: 4 of 5 used, nobody locked out
        assert "falling back to in-memory storage" in caplog.text
        fresh = restart()  # empty: counters start again in Redis
        time.sleep(1.0)
        statuses = [_file(client, i, "10.6.0.5") for i in range(10, 16)]
        db.session.remove()
    assert statuses == [200] * 5 + [429]  # Redis counted from zero; memory would allow one
    assert any(b"filing" in key for key in fresh.keys("*"))
    assert "Rate limit storage recovered" in caplog.text
