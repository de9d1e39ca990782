"""Load on loopback: the public form page, the lookup page and the filing POST, each against a
bare Flask route served by the same gunicorn settings, measured in one run.

Usage: python bench/load.py [--seconds 5] [--clients 8] [--workers 3]
The portal runs with the testing config (no captcha, CSRF or rate limit, which would refuse a
load generator) on the database named by BENCH_DATABASE_URL (default: pingyi_bench on the local
PostgreSQL; run bench/seed_million.py first, or point it at any migrated database).
Prints requests per second and the ratio of each to the bare route.
"""

import argparse
import http.client
import os
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live import free_port  # noqa: E402

DB = os.environ.get("BENCH_DATABASE_URL",
                    "postgresql+psycopg://postgres@127.0.0.1:5432/pingyi_bench")


def serve(target, port, workers, extra_env):
    env = os.environ | extra_env | {"GUNICORN_BIND": f"127.0.0.1:{port}",
                                    "GUNICORN_WORKERS": str(workers)}
    proc = subprocess.Popen(  # noqa: S603  (our own server, fixed arguments)
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--access-logfile",
         "/dev/null", target], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/")
            conn.getresponse().read()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"{target} did not start")


def hammer(port, method, path, body_for, seconds, clients):
    """Requests per second and the share that succeeded, with ``clients`` threads."""
    done, failed = [0], [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(index):
        n = 0
        while time.perf_counter() < stop:
            n += 1
            body = body_for(index, n) if body_for else None
            headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request(method, path, body=body, headers=headers)
                status = conn.getresponse().status
                conn.close()
                ok = status == 200
            except OSError:
                ok = False
            with lock:
                done[0] += ok
                failed[0] += not ok

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0] / seconds, failed[0]


def filing_body(topic_id, unit_id):
    def body(index, n):
        return urllib.parse.urlencode({
            "kind": "complaint", "target_unit": unit_id, "topic": topic_id,
            "title": "压力测试标题", "content": "压力测试的内容，不少于十个字。",
            "submission_key": f"load-{os.getpid()}-{index}-{n}-{time.time_ns()}"[:64],
        })
    return body


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    import psycopg
    dsn = DB.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        topic = conn.execute("SELECT min(id) FROM topic").fetchone()[0]
        unit = conn.execute("SELECT min(id) FROM unit WHERE appraised").fetchone()[0]
    bare_port, portal_port = free_port(), free_port()
    bare = serve("bench.bare:create_app()", bare_port, args.workers, {})
    portal = serve("app:create_app()", portal_port, args.workers,
                   {"PORTAL_ENV": "testing", "TEST_DATABASE_URL": DB})
    try:
        rows = [("bare Flask route", bare_port, "GET", "/", None)]
        rows += [("home page", portal_port, "GET", "/", None),
                 ("filing form page", portal_port, "GET", "/file", None),
                 ("lookup page", portal_port, "GET", "/track", None),
                 ("filing POST", portal_port, "POST", "/file", filing_body(topic, unit))]
        print(f"{args.clients} clients, {args.workers} gunicorn workers, {args.seconds:.0f} s each")
        base = None
        for label, port, method, path, body in rows:
            rps, failed = hammer(port, method, path, body, args.seconds, args.clients)
            base = base or rps
            print(f"{label:20} {rps:8.1f} req/s  ratio {rps / base:5.3f}  failed {failed}")
    finally:
        for proc in (bare, portal):
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
