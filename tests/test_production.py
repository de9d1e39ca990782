"""The production stack for real: gunicorn with several workers, Redis for limits and captcha
answers, the database under test; every abuse control on."""

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import Case, db
from tests.appconfig import DATABASE_URL, TMP, redis_fixture, redis_test_url
from tests.factories import form_data
from tests.http_client import Browserish, hidden
from tests.live import free_port, stop_process

ROOT = Path(__file__).resolve().parent.parent
REDIS = redis_test_url(0)


redis_db = redis_fixture(REDIS)


@pytest.fixture
def gunicorn(app, redis_db):
    port = free_port()
    env = os.environ | {
        "PORTAL_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": DATABASE_URL, "REDIS_URL": REDIS, "RATELIMIT_STORAGE_URI": REDIS,
        "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "3",
        "UPLOAD_FOLDER": str(TMP / "uploads-prod"),
    }
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                             "app:create_app()"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    client = Browserish(f"http://127.0.0.1:{port}")
    for _ in range(100):
        try:
            if client.get("/")[0] == 200:
                break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise AssertionError(proc.stderr.read().decode()[-2000:])
    yield client, proc
    stop_process(proc)


def file_one(base_client, redis_db, key):
    client = Browserish(f"http://{base_client.host}:{base_client.port}")
    status, html = client.get("/file")
    assert status == 200
    challenge = hidden(html, "captcha_id")
    answer = redis_db.get(f"pingyi:captcha:{challenge}").decode()
    data = form_data(submission_key=key) | {
        "csrf_token": hidden(html, "csrf_token"), "captcha_id": challenge, "captcha": answer}
    return client.post("/file", data)


def test_limit_is_exact_across_workers(gunicorn, redis_db, ctx):
    client, _proc = gunicorn
    statuses = [file_one(client, redis_db, f"prod-key-{i:02d}-abcdefghij")[0] for i in range(8)]
    assert statuses == [200] * 5 + [429] * 3
    assert db.session.scalar(select(func.count()).select_from(Case)) == 5


def test_production_headers_and_cookies(gunicorn):
    client, _proc = gunicorn
    conn_status, _html = client.get("/file")
    import http.client
    conn = http.client.HTTPConnection(client.host, client.port, timeout=5)
    conn.request("GET", "/file")
    response = conn.getresponse()
    response.read()
    headers = {k.lower(): v for k, v in response.getheaders()}
    assert "max-age=31536000" in headers["strict-transport-security"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    cookie = headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    conn.close()
    assert conn_status == 200


def test_debug_console_is_absent(gunicorn):
    client, _proc = gunicorn
    assert client.get("/console")[0] == 404
    assert client.request("TRACE", "/")[0] == 405
