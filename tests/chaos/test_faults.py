"""Fault tests (make chaos): workers killed with SIGKILL and PostgreSQL restarted while citizens
file; every acknowledged filing must be stored exactly once, and the database outage must
answer 503, never 500."""

import hashlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from models import Case, db
from tests.appconfig import DATABASE_URL
from tests.factories import topic, unit
from tests.http_client import Browserish
from tests.live import free_port

pytestmark = pytest.mark.chaos
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(app):
    if not DATABASE_URL.startswith("postgresql"):
        pytest.skip("fault tests run on PostgreSQL (make chaos)")
    port = free_port()
    env = os.environ | {"PORTAL_ENV": "testing", "TEST_DATABASE_URL": DATABASE_URL,
                        "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "3"}
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                             "--access-logfile", "/dev/null", "app:create_app()"], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = Browserish(f"http://127.0.0.1:{port}")
    for _ in range(100):
        try:
            if client.get("/track")[0] == 200:
                break
        except OSError:
            time.sleep(0.1)
    yield port, proc
    proc.terminate()
    proc.wait(timeout=15)


def workers_of(master_pid):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master_pid)], capture_output=True,
                         text=True).stdout
    return [int(p) for p in out.split()]


def file_until_acknowledged(port, key, form, results, statuses, deadline):
    """Submit like a patient citizen: the same form again until a receipt comes back."""
    client = Browserish(f"http://127.0.0.1:{port}", timeout=15)
    while time.monotonic() < deadline:
        try:
            status, html = client.post("/file", form | {"submission_key": key})
        except OSError:
            statuses.append("conn")
            time.sleep(0.2)
            continue
        statuses.append(status)
        if status == 200:
            results[key] = re.search(r"(PY\d{10})", html).group(1)
            return
        time.sleep(0.2)


def run_load(port, seconds, fault):
    form = {"kind": "complaint", "target_unit": str(unit("land").id),
            "topic": str(topic("style").id), "title": "故障测试中的投诉",
            "content": "故障测试：这件投诉必须恰好保存一次。"}
    results, statuses, keys = {}, [], []
    deadline = time.monotonic() + seconds + 30
    stop = time.monotonic() + seconds

    def citizen(i):
        n = 0
        while time.monotonic() < stop:
            key = f"chaos-{os.getpid()}-{i}-{n}-{time.time_ns()}"[:64]
            keys.append(key)
            file_until_acknowledged(port, key, form, results, statuses, deadline)
            n += 1

    threads = [threading.Thread(target=citizen, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    fault(stop)
    for t in threads:
        t.join()
    return results, statuses, keys


def check_exactly_once(results, keys):
    # The restart cut this process's own connections too: start from fresh ones.
    try:
        db.session.rollback()
    except OperationalError:
        pass
    db.session.close()
    db.engine.dispose()
    for key in keys:
        digest = hashlib.sha256(key.encode()).hexdigest()
        rows = db.session.scalars(select(Case).where(Case.submission_key_hash == digest)).all()
        if key in results:
            assert [c.number for c in rows] == [results[key]], key
        else:
            assert len(rows) <= 1, key
    total = db.session.scalar(select(func.count()).select_from(Case))
    assert total == len({k for k in keys if k in results}) + sum(
        1 for k in keys if k not in results and db.session.scalar(
            select(func.count()).select_from(Case).where(
                Case.submission_key_hash == hashlib.sha256(k.encode()).hexdigest())))


def test_killing_every_worker_loses_no_acknowledged_filing(server, ctx):
    port, master = server
    kills = []

    def killer(stop):
        while time.monotonic() < stop:
            time.sleep(0.7)
            for pid in workers_of(master.pid):
                os.kill(pid, signal.SIGKILL)
                kills.append(pid)

    results, statuses, keys = run_load(port, 8, killer)
    assert len(kills) >= 9 and len(results) >= 10
    assert "conn" in statuses or 502 in statuses or 500 not in statuses
    check_exactly_once(results, keys)


def test_postgres_restart_answers_503_and_loses_nothing(server, ctx):
    port, _master = server
    cluster = subprocess.run(["ls", "/etc/postgresql"], capture_output=True, text=True).stdout.split()
    if not cluster:
        pytest.skip("no local PostgreSQL cluster to restart")

    def restart(stop):
        time.sleep(2)
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster[0], "main", "stop",
                        "-m", "fast"], check=True)
        time.sleep(2)
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster[0], "main",
                        "start"], check=True)

    results, statuses, keys = run_load(port, 8, restart)
    assert 503 in statuses and 500 not in statuses
    assert len(results) >= 5
    check_exactly_once(results, keys)
