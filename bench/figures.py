"""Time the self-assessment figures and the public statistics on the million-case database.

Usage: python bench/figures.py [--database pingyi_bench] [--runs 15]
Through the whole Flask stack, next to a bare route in the same run, two passes (their spread
is the noise): one unit's self-assessment page (its figures are the page's cost), the office's
summary across all units, and /stats without a snapshot (the snapshot table emptied and the
per-process memo off, so every request computes). Run `flask refresh-stats` (or this script's
--refresh) first on PostgreSQL so that the roll-up is current.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, select  # noqa: E402

import config  # noqa: E402
from app import create_app  # noqa: E402
from models import StatsSnapshot, Unit, db, find_staff  # noqa: E402

PASSWORD = "bench-password-1234"  # noqa: S105  (a throwaway database)


def timed(client, url, runs):
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="pingyi_bench")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    class BenchConfig(config.TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"postgresql+psycopg://postgres@127.0.0.1:5432/{args.database}"
        STATS_CACHE_SECONDS = 0
        FIGURES_FROM_ROLLUP = True  # as in production

    app = create_app(BenchConfig)
    app.add_url_rule("/bench-bare", "bench_bare", lambda: "ok")
    with app.app_context():
        for username in ("office", "land_lead"):
            find_staff(username).set_password(PASSWORD)
        db.session.execute(delete(StatsSnapshot))
        db.session.commit()
        land_id = db.session.scalars(select(Unit.id).where(Unit.code == "land")).one()
    clients = {}
    for username in ("office", "land_lead"):
        clients[username] = app.test_client()
        response = clients[username].post("/staff/login",
                                          data={"username": username, "password": PASSWORD})
        assert response.status_code == 302
    pages = [
        ("bare Flask route", app.test_client(), "/bench-bare"),
        ("one unit's self-assessment", clients["land_lead"], f"/staff/reports/{land_id}"),
        ("office summary, all units", clients["office"], "/staff/reports"),
        ("/stats without a snapshot", app.test_client(), "/stats"),
    ]
    results = {label: [] for label, _, _ in pages}
    for _ in range(2):
        for label, client, url in pages:
            client.get(url)  # warm: connections, templates
            results[label].append(timed(client, url, args.runs))
    print(f"median of {args.runs} requests per page, two passes; ms")
    bare = min(results["bare Flask route"])
    for label, (one, two) in results.items():
        print(f"{label:32} {one:8.1f} {two:8.1f}   noise {abs(one - two):6.1f}"
              f"   x{min(one, two) / bare:7.1f} bare")


if __name__ == "__main__":
    main()
