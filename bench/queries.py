"""Time the staff lists and the statistics page on the million-case database, and show the
query plans behind them.

Usage: python bench/seed_million.py && python bench/queries.py [--database pingyi_bench]
Reports each page's median and 95th percentile over 30 requests through the whole Flask stack
(routing, login check, query, template), next to a bare Flask route measured the same way in the
same run, and EXPLAIN ANALYZE of each list's query; fails if any plan reads the case table
with a sequential scan.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select, text  # noqa: E402

import config  # noqa: E402
from app import create_app  # noqa: E402
from models import (  # noqa: E402
    Unit,
    db,
    find_staff,
    queues,
    utcnow,  # noqa: E402
)
from models.queues import CaseFilter  # noqa: E402
from portal.services import statistics as public_statistics  # noqa: E402

BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "pingyi_bench")
BENCH_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/" + BENCH_DATABASE
RUNS = 30
PASSWORD = "bench-password-1234"  # noqa: S105  (a throwaway database)


class BenchConfig(config.TestingConfig):
    SQLALCHEMY_DATABASE_URI = BENCH_URL
    STATS_CACHE_SECONDS = 60
    # The production interval (config.py), as bench/load.py uses: the tests' 0 reads the
    # reference stamp on every request, one statement a page that production makes at most
    # every 2 s per worker.
    REFERENCE_CHECK_SECONDS = 2


CPU_MS = {}  # url → this process's CPU per request (ms): the Python part, apart from the
# database's and from waiting on a busy machine


WARMUP = 5  # requests per page before timing: the first compiles its templates and fills
# the worker's copies, which a server pays once in thousands of requests


def timed(client, url):
    for _ in range(WARMUP):
        client.get(url)
    samples, cpu = [], []
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    CPU_MS[url] = statistics.median(cpu)
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def signed_in(app, username):
    client = app.test_client()
    response = client.post("/staff/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def explain(stmt):
    sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
    rows = db.session.execute(text("EXPLAIN (ANALYZE, BUFFERS) " + sql)).scalars().all()
    return "\n".join(rows)


def main():
    # A copy of the seeded database (createdb -T pingyi_bench copy) keeps the shared one
    # untouched: the bench sets staff passwords.
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default=BENCH_DATABASE,
                        help="PostgreSQL database on 127.0.0.1 (default: $BENCH_DATABASE or "
                             "pingyi_bench)")
    args = parser.parse_args()
    BenchConfig.SQLALCHEMY_DATABASE_URI = (
        "postgresql+psycopg://postgres@127.0.0.1:5432/" + args.database)
    app = create_app(BenchConfig)
    app.add_url_rule("/bench-bare", "bench_bare", lambda: "ok")
    with app.app_context():
        for username in ("office", "land_lead"):
            find_staff(username).set_password(PASSWORD)
        db.session.commit()
        land = db.session.scalars(select(Unit).where(Unit.code == "land")).one()
        land_id = land.id
        total = db.session.execute(text('SELECT count(*) FROM "case"')).scalar()
    # Requests run outside any app context, each in its own, as under a real server.
    office, lead = signed_in(app, "office"), signed_in(app, "land_lead")
    bare = app.test_client()
    lists = [
        ("bare Flask route", bare, "/bench-bare"),
        ("unanswered board (office)", office, "/staff/board"),
        ("unanswered board (unit)", lead, "/staff/board"),
        ("all cases (office)", office, "/staff/cases"),
        ("unit queue (office, unit filter)", office, f"/staff/cases?unit={land_id}"),
        ("unit queue, deep page", lead, "/staff/cases?after=2026-06-01.900000"),
        ("triage (office)", office, "/staff/triage"),
    ]
    print(f"{total} cases; {RUNS} requests per page after {WARMUP} untimed, two passes "
          "(pass 1 / pass 2, and their spread: the noise); times in ms")
    passes = []
    for _ in range(2):  # each pass times every page once, so a busy moment hits one pass
        results = {}
        for label, client, url in lists:
            median, p95 = timed(client, url)
            results[label] = (median, p95, CPU_MS.pop(url))
        passes.append(results)
    for label, _client, _url in lists:
        (m1, p1, c1), (m2, p2, c2) = passes[0][label], passes[1][label]
        base1, base2 = passes[0]["bare Flask route"][0], passes[1]["bare Flask route"][0]
        print(f"{label:33} median {m1:5.1f} / {m2:5.1f} (±{abs(m1 - m2) / 2:4.1f})"
              f"  p95 {p1:5.1f} / {p2:5.1f}  x {m1 / base1:5.1f} / {m2 / base2:5.1f}"
              f"  cpu {c1:4.1f} / {c2:4.1f}")

    started = time.perf_counter()
    bare.get("/stats")
    print(f"{'statistics (first, computed)':33} {(time.perf_counter() - started) * 1000:7.1f}")
    median, p95 = timed(bare, "/stats")
    print(f"{'statistics (memo)':33} median {median:5.1f}  p95 {p95:5.1f}"
          f"  cpu {CPU_MS.pop('/stats'):4.1f}")
    # A fresh worker reading what `flask refresh-stats` stored.
    fresh = create_app(type("NoMemo", (BenchConfig,), {"STATS_CACHE_SECONDS": 0}))
    with fresh.app_context():
        started = time.perf_counter()
        public_statistics.refresh_public_stats(now=utcnow())
        refresh_ms = (time.perf_counter() - started) * 1000
    median, p95 = timed(fresh.test_client(), "/stats")
    CPU_MS.clear()
    print(f"{'(flask refresh-stats took':33} {refresh_ms:7.1f} ms)")
    print(f"{'statistics (snapshot)':33} median {median:5.1f}  p95 {p95:5.1f}")
    with app.app_context():
        plans = {
            "board (office)": queues.keyset_page(queues.unanswered(None), None, 50),
            "board (unit)": queues.keyset_page(queues.unanswered(land_id), None, 50),
            "unit queue": queues.keyset_page(queues.all_cases(land_id), (date(2026, 6, 1), 900000),
                                             50),
            "triage, pending extensions": queues.keyset_page(
                queues.all_cases(f=CaseFilter(extension_pending=True)), None, 50),
            "all cases, kind filter": queues.keyset_page(
                queues.all_cases(None, CaseFilter(kind="report")), None, 50),
        }
        seq = []
        for name, stmt in plans.items():
            plan = explain(stmt)
            print(f"\n--- EXPLAIN {name}\n{plan}")
            if 'Seq Scan on "case"' in plan or "Seq Scan on case" in plan:
                seq.append(name)
        if seq:
            sys.exit(f"sequential scans of case in: {', '.join(seq)}")


if __name__ == "__main__":
    main()
