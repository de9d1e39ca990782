"""Load on loopback with wrk: the public pages and the filing POST, each against a bare Flask
route served by the same gunicorn settings, measured in one run, in two configurations:

- testing: the testing config (no captcha, CSRF or rate limit, which would refuse a load
  generator), with the production interval for the reference-data check;
- production controls (bench/prodlike.py): CSRF, captcha answers in Redis and rate limits counted
  in Redis (limits set too high to refuse), for the page views.

Each target is measured right after the bare route, and its ratio is to that measurement.
The filing POST is also put beside bare.py's /insert, one durable INSERT and COMMIT: the ceiling
for any filing, measured right before it. Each figure is measured in
two passes; the table shows both, so their spread is the noise. CPU per request is the
server's (master and workers) user+system time over the requests wrk counted.

Usage: python bench/load.py [--seconds 5] [--connections 8] [--workers 2] [--passes 2] [--only LABEL]
Needs wrk (Debian package; `make bench` installs it) and a migrated database named by
BENCH_DATABASE_URL (default: pingyi_bench on the local PostgreSQL; bench/seed_million.py).
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
DSN = DB.replace("postgresql+psycopg://", "postgresql://")  # the same database, for psycopg

# Each filing needs its own form key, or the portal would (rightly) answer with the first receipt:
# the key holds a run id written fresh for every wrk run (wrk's counter starts again at each),
# and main() checks that every request filed a case.
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


INSERT_LUA = """
wrk.method = "POST"
wrk.body = "title=ceiling&content=one durable insert"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
"""


def serve(target, port, workers, extra_env):
    env = os.environ | extra_env | {"GUNICORN_BIND": f"127.0.0.1:{port}",
                                    "GUNICORN_WORKERS": str(workers),
                                    # No recycling while measuring: a worker that exits takes its
                                    # CPU count with it (bench/bare.py serves ~300,000 requests).
                                    "GUNICORN_MAX_REQUESTS": "0",
                                    "BENCH_DATABASE_URL": DB}
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


def cpu_seconds(pid):
    """User+system CPU of a process and its children (gunicorn's master and workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def wrk(url, seconds, connections, script=None, server=None):
    """(requests per second, non-2xx/3xx responses, ms of server CPU per request, requests)."""
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url]
    if script:
        args[1:1] = ["-s", script]
    before = cpu_seconds(server.pid) if server else 0.0
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout  # noqa: S603
    used = cpu_seconds(server.pid) - before if server else 0.0
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    count = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, int(bad.group(1)) if bad else 0, 1000 * used / max(count, 1), count


def post_script(directory, topic_id, unit_id):
    """A function that writes the filing POST's script with a new run id and returns its path,
    and the ceiling's script."""
    body = urllib.parse.urlencode({
        "kind": "complaint", "target_unit": unit_id, "topic": topic_id,
        "title": "压力测试标题", "content": "压力测试的内容，不少于十个字。"})
    path = Path(directory) / "post.lua"

    def fresh():
        path.write_text(POST_LUA.format(body=body, run=time.time_ns()))
        return str(path)

    insert = Path(directory) / "insert.lua"
    insert.write_text(INSERT_LUA)
    return fresh, str(insert)


def cases_filed():
    import psycopg
    with psycopg.connect(DSN) as conn:
        return conn.execute('SELECT count(*) FROM "case"').fetchone()[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--only", action="append", default=[],
                        help="measure only the rows whose label contains this (repeatable)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    import psycopg
    with psycopg.connect(DSN) as conn:
        topic = conn.execute("SELECT min(id) FROM topic").fetchone()[0]
        unit = conn.execute("SELECT min(id) FROM unit WHERE appraised").fetchone()[0]
        conn.execute("CREATE TABLE IF NOT EXISTS bench_ceiling (id bigserial PRIMARY KEY, "
                     "body text NOT NULL, at timestamptz NOT NULL DEFAULT now())")
    ports = {name: free_port() for name in ("bare", "testing", "prod")}
    env = {"PORTAL_ENV": "testing", "TEST_DATABASE_URL": DB, "REFERENCE_CHECK_SECONDS": "2"}
    servers = {"bare": serve("bench.bare:create_app()", ports["bare"], args.workers, {}),
               "testing": serve("app:create_app()", ports["testing"], args.workers, env),
               "prod": serve("bench.prodlike:create_app()", ports["prod"], args.workers, env)}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            post, insert = post_script(tmp, topic, unit)
            url = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
            # The ceiling right before the filing POST: the machine drifts over a pass (the
            # bare route itself moved by a third between passes on 2026-12-05), and a ratio
            # holds only between figures measured side by side.
            rows = [("bare Flask route", "bare", "/", None),
                    ("home page", "testing", "/", None),
                    ("filing form page", "testing", "/file", None),
                    ("lookup page", "testing", "/track", None),
                    ("INSERT+COMMIT route", "bare", "/insert", insert),
                    ("filing POST", "testing", "/file", post),
                    ("home, prod controls", "prod", "/", None),
                    ("form, prod controls", "prod", "/file", None),
                    ("lookup, prod controls", "prod", "/track", None)]
            if args.only:
                rows = [row for row in rows if any(part in row[0] for part in args.only)]
            print(f"wrk, {args.connections} connections, {args.workers} gunicorn workers, "
                  f"{args.seconds} s each, {args.passes} passes")
            results = {label: [] for label, *_ in rows}
            bare = {label: [] for label, *_ in rows}
            for _ in range(args.passes):
                for label, server, path, lua in rows:
                    filed = cases_filed() if lua is post else None
                    lua = lua() if callable(lua) else lua
                    # The yardstick right before each target: the machine's other load moves
                    # both alike, so the ratio holds where absolute figures drift.
                    bare[label].append(wrk(url["bare"] + "/", args.seconds, args.connections,
                                           None, servers["bare"])[0])
                    results[label].append(wrk(url[server] + path, args.seconds,
                                              args.connections, lua, servers[server]))
                    if filed is not None:
                        # A repeated key would be answered with the first receipt, a cheaper
                        # page than a filing: each request counted must have filed a case (and
                        # those in flight when wrk stopped, one per connection at most).
                        filed, counted = cases_filed() - filed, results[label][-1][3]
                        if not counted <= filed <= counted + args.connections:
                            raise SystemExit(f"{label}: {counted} requests filed {filed} cases")
            report(results, bare, args.passes)
    finally:
        for proc in servers.values():
            proc.terminate()
            proc.wait(timeout=10)


def report(results, bare, passes):
    print(f"{'':24}" + "".join(f"{'pass ' + str(p + 1):>34}" for p in range(passes)))
    for label, runs in results.items():
        cells = []
        for p, (rps, bad, cpu, _count) in enumerate(runs):
            base = bare[label][p]
            cells.append(f"{rps:8.0f}/s {rps / base:6.3f} {cpu:5.2f} ms cpu"
                         + (f" {bad} bad" if bad else ""))
        print(f"{label:24}" + "".join(f"{c:>34}" for c in cells))
    for p in range(passes if "filing POST" in results and "INSERT+COMMIT route" in results
                   else 0):
        ceiling = results["INSERT+COMMIT route"][p][0]
        filing = results["filing POST"][p][0]
        print(f"pass {p + 1}: filing POST / INSERT+COMMIT ceiling = {filing / ceiling:.3f}")
    print("columns: requests per second, ratio to the bare route measured just before, server "
          "CPU per request")


if __name__ == "__main__":
    main()
