"""Load on loopback with wrk: the public form page, the lookup page and the filing POST, each
against a bare Flask route served by the same gunicorn settings, measured in one run.

Usage: python bench/load.py [--seconds 5] [--connections 8] [--workers 3]
Needs wrk (Debian package; `make bench` installs it). The portal runs with the testing config
(no captcha, CSRF or rate limit, which would refuse a load generator) on the database named by
BENCH_DATABASE_URL (default: pingyi_bench on the local PostgreSQL; run bench/seed_million.py
first, or point it at any migrated database). Prints requests per second and the ratio of each
to the bare route.
"""

import argparse
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live import free_port  # noqa: E402

DB = os.environ.get("BENCH_DATABASE_URL",
                    "postgresql+psycopg://postgres@127.0.0.1:5432/pingyi_bench")

# Each filing needs its own form key, or the portal would (rightly) answer with the first receipt.
POST_LUA = """
local counter, next_id = 0, 0
setup = function(thread) thread:set("tid", next_id); next_id = next_id + 1 end
request = function()
  counter = counter + 1
  local body = "{body}&submission_key=wrk-{run}-" .. tid .. "-" .. counter
  return wrk.format("POST", "/file",
    {{["Content-Type"] = "application/x-www-form-urlencoded"}}, body)
end
"""


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


def wrk(url, seconds, connections, script=None):
    """(requests per second, non-2xx/3xx responses) as wrk reports them."""
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url]
    if script:
        args[1:1] = ["-s", script]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, int(bad.group(1)) if bad else 0


def post_script(directory, topic_id, unit_id):
    body = urllib.parse.urlencode({
        "kind": "complaint", "target_unit": unit_id, "topic": topic_id,
        "title": "压力测试标题", "content": "压力测试的内容，不少于十个字。"})
    path = Path(directory) / "post.lua"
    path.write_text(POST_LUA.format(body=body, run=time.time_ns()))
    return str(path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    import psycopg
    with psycopg.connect(DB.replace("postgresql+psycopg://", "postgresql://")) as conn:
        topic = conn.execute("SELECT min(id) FROM topic").fetchone()[0]
        unit = conn.execute("SELECT min(id) FROM unit WHERE appraised").fetchone()[0]
    bare_port, portal_port = free_port(), free_port()
    bare = serve("bench.bare:create_app()", bare_port, args.workers, {})
    portal = serve("app:create_app()", portal_port, args.workers,
                   {"PORTAL_ENV": "testing", "TEST_DATABASE_URL": DB})
    try:
        with tempfile.TemporaryDirectory() as tmp:
            script = post_script(tmp, topic, unit)
            rows = [("bare Flask route", f"http://127.0.0.1:{bare_port}/", None),
                    ("home page", f"http://127.0.0.1:{portal_port}/", None),
                    ("filing form page", f"http://127.0.0.1:{portal_port}/file", None),
                    ("lookup page", f"http://127.0.0.1:{portal_port}/track", None),
                    ("filing POST", f"http://127.0.0.1:{portal_port}/file", script)]
            print(f"wrk, {args.connections} connections, {args.workers} gunicorn workers, "
                  f"{args.seconds} s each")
            base = None
            for label, url, lua in rows:
                rps, bad = wrk(url, args.seconds, args.connections, lua)
                base = base or rps
                print(f"{label:20} {rps:8.1f} req/s  ratio {rps / base:5.3f}  non-2xx {bad}")
    finally:
        for proc in (bare, portal):
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
