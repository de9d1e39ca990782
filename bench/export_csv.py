"""Time the case CSV export on the million-case database and show that memory stays flat.

Usage: python bench/seed_million.py && python bench/export_csv.py
Downloads /staff/cases.csv through the whole Flask stack (login check, view, streamed body read
chunk by chunk after the view has returned, as under gunicorn) for the office (every case) and
for a unit leader (one unit), and reports rows, megabytes, time to the first chunk, total time,
rows per second and the growth of the process's peak RSS; then the plan of the export query.
Fails if the CSV's row count differs from the table's, or if the peak RSS grew by more than
EXPECTED_MAX_RSS_GROWTH_MB (the file is some 120 MB at a million rows: holding it would show).
"""

import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, text  # noqa: E402

import config  # noqa: E402
from app import create_app  # noqa: E402
from models import Case, Unit, db, find_staff  # noqa: E402
from models.queues import CaseFilter  # noqa: E402
from portal.downloads import cases_csv  # noqa: E402

BENCH_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/pingyi_bench"
PASSWORD = "bench-password-1234"  # noqa: S105  (a throwaway database)
EXPECTED_MAX_RSS_GROWTH_MB = 64


class BenchConfig(config.TestingConfig):
    SQLALCHEMY_DATABASE_URI = BENCH_URL


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def signed_in(app, username):
    client = app.test_client()
    response = client.post("/staff/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def download(client):
    started = time.perf_counter()
    response = client.get("/staff/cases.csv", buffered=False)
    assert response.status_code == 200, response.status_code
    first = None
    size = lines = 0
    for chunk in response.response:
        first = first or time.perf_counter() - started
        data = chunk.encode() if isinstance(chunk, str) else chunk
        size += len(data)
        lines += data.count(b"\n")
    response.close()
    return lines - 1, size, first, time.perf_counter() - started  # less the header line


def main():
    app = create_app(BenchConfig)
    with app.app_context():
        for username in ("office", "land_lead"):
            find_staff(username).set_password(PASSWORD)
        db.session.commit()
        land_id = db.session.scalars(select(Unit.id).where(Unit.code == "land")).one()
        total = db.session.scalar(select(func.count()).select_from(Case))
        in_land = db.session.scalar(select(func.count()).where(Case.unit_id == land_id))
        sql = str(cases_csv.case_columns(None, CaseFilter()).compile(db.engine))
        plan = db.session.execute(text("EXPLAIN " + sql)).scalars().all()
    print(f"{total} cases, {in_land} in land-use planning")
    failures = []
    for label, username, expected in (("office", "office", total),
                                      ("unit leader", "land_lead", in_land)):
        client = signed_in(app, username)
        before, rss_before = peak_rss_mb(), rss_mb()
        rows, size, first, elapsed = download(client)
        growth = peak_rss_mb() - before
        print(f"{label:12} {rows:8} rows {size / 1e6:7.1f} MB  first chunk {first * 1000:6.0f} ms"
              f"  total {elapsed:6.1f} s  {rows / elapsed:8.0f} rows/s"
              f"  RSS {rss_before:.0f} -> {rss_mb():.0f} MB, peak +{growth:.1f} MB")
        if rows != expected:
            failures.append(f"{label}: {rows} rows, expected {expected}")
        if growth > EXPECTED_MAX_RSS_GROWTH_MB:
            failures.append(f"{label}: peak RSS grew by {growth:.0f} MB")
    print("\n--- EXPLAIN export (office)\n" + "\n".join(plan))
    if failures:
        sys.exit("; ".join(failures))


if __name__ == "__main__":
    main()
