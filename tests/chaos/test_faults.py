"""Fault tests (make chaos): workers killed with SIGKILL and PostgreSQL restarted while citizens
file; every acknowledged filing must be stored exactly once, the database outage must answer
503, and no answer is ever a 500. PostgreSQL here is the tests' private server (conftest.py)."""

import hashlib
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from models import Case, db
from tests.factories import topic, unit
from tests.http_client import Browserish
from tests.live import free_port

pytestmark = pytest.mark.chaos
ROOT = Path(__file__).resolve().parents[2]


class ServerDidNotStart(RuntimeError):
    pass


def start_gunicorn(database_url, port, app_spec="app:create_app()", seconds=120):
    """Gunicorn with 3 workers on ``port``, once it answers; ServerDidNotStart (with gunicorn's
    stderr) when it exits or does not answer in time."""
    env = os.environ | {"PORTAL_ENV": "testing", "TEST_DATABASE_URL": database_url,
                        "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "3"}
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                             "--access-logfile", "/dev/null", "--no-control-socket", app_spec], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=log)
    client = Browserish(f"http://127.0.0.1:{port}", timeout=5)
    deadline = time.monotonic() + seconds
    status = None
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            status = client.get("/track")[0]
            if status == 200:
                proc.port, proc.log = port, log
                return proc
        except OSError:
            pass
        time.sleep(0.1)
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=15)
    log.seek(0)
    stderr = log.read().decode("utf-8", "replace")
    raise ServerDidNotStart(f"gunicorn did not answer 200 on /track (exit {proc.returncode}, "
                            f"last status {status}):\n{stderr[-4000:]}")


@pytest.fixture
def server(app, private_postgres):
    try:
        proc = start_gunicorn(private_postgres.url, free_port())
    except ServerDidNotStart as exc:
        pytest.fail(str(exc))
    yield proc.port, proc
    proc.terminate()
    proc.wait(timeout=15)
    proc.log.close()


def test_the_readiness_wait_fails_with_gunicorns_stderr_when_it_does_not_start(
        private_postgres):
    with pytest.raises(ServerDidNotStart, match="Failed to find attribute 'no_such_factory'"):
        start_gunicorn(private_postgres.url, free_port(), app_spec="app:no_such_factory()",
                       seconds=120)


def workers_of(master_pid):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master_pid)], capture_output=True,
                         text=True).stdout
    return [int(p) for p in out.split()]


def file_until_acknowledged(port, key, form, load):
    """Submit like a patient citizen: the same form again until a receipt comes back (or the
    load's deadline, set once the fault is over, passes)."""
    client = Browserish(f"http://127.0.0.1:{port}", timeout=15)
    while time.monotonic() < load.deadline:
        try:
            status, html = client.post("/file", form | {"submission_key": key})
        except OSError:
            load.statuses.append("conn")
            time.sleep(0.2)
            continue
        load.statuses.append(status)
        if status == 200:
            load.results[key] = re.search(r"(PY\d{10})", html).group(1)
            return
        time.sleep(0.2)


class Load:
    """Six citizens filing until the fault is over; ``results`` maps each acknowledged
    submission key to its number, ``statuses`` holds every answer ("conn": no answer)."""

    def __init__(self):
        self.results, self.statuses, self.keys = {}, [], []
        self.done = threading.Event()
        self.deadline = float("inf")

    def wait_for_receipts(self, more_than, seconds=180):
        """Until more than ``more_than`` filings are acknowledged: the workers serve again."""
        limit = time.monotonic() + seconds
        while len(self.results) <= more_than:
            assert time.monotonic() < limit, f"no receipt in {seconds} s: {self.summary()}"
            time.sleep(0.05)

    def summary(self):
        return {str(s): self.statuses.count(s) for s in set(self.statuses)}


def run_load(port, fault, settle=60):
    form = {"kind": "complaint", "target_unit": str(unit("land").id),
            "topic": str(topic("style").id), "title": "故障测试中的投诉",
            "content": "故障测试：这件投诉必须恰好保存一次。"}
    load = Load()

    def citizen(i):
        n = 0
        while not load.done.is_set():
            key = f"chaos-{os.getpid()}-{i}-{n}-{time.time_ns()}"[:64]
            load.keys.append(key)
            file_until_acknowledged(port, key, form, load)
            n += 1

    threads = [threading.Thread(target=citizen, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    try:
        fault(load)
    finally:
        load.deadline = time.monotonic() + settle
        load.done.set()
        for t in threads:
            t.join()
    return load


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

    def killer(load):
        # Each round waits until the new workers serve again (booting takes seconds on a busy
        # machine), then kills them all while the six citizens' requests are in flight.
        for _round in range(4):
            load.wait_for_receipts(more_than=len(load.results))
            time.sleep(0.3)
            for pid in workers_of(master.pid):
                os.kill(pid, signal.SIGKILL)
                kills.append(pid)
        load.wait_for_receipts(more_than=len(load.results))

    load = run_load(port, killer)
    assert len(kills) >= 12 and len(load.results) >= 5, (kills, load.summary())
    assert 500 not in load.statuses, load.summary()
    check_exactly_once(load.results, load.keys)


def test_postgres_restart_answers_503_and_loses_nothing(server, private_postgres, ctx):
    port, _master = server

    def restart(load):
        load.wait_for_receipts(more_than=2)
        private_postgres.stop("fast")
        time.sleep(2)
        private_postgres.start()
        load.wait_for_receipts(more_than=len(load.results))

    load = run_load(port, restart)
    assert 503 in load.statuses, load.summary()
    assert 500 not in load.statuses, load.summary()
    assert len(load.results) >= 4
    check_exactly_once(load.results, load.keys)
