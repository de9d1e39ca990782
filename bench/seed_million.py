"""Fill the benchmark database with a million cases, in SQL, in about a minute.

Usage: python bench/seed_million.py [--cases 1000000] [--database pingyi_bench]
Creates (or recreates) the PostgreSQL database (pingyi_bench unless told), migrates it, loads the demo bureau,
then inserts the cases with generate_series: 90% closed, 5% replied or rated, 5% spread over the
unanswered statuses; two years of receipt dates; a fifth of the answered cases rated.
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=test"
BENCH_DSN = "host=127.0.0.1 port=5432 user=postgres dbname={db}"
BENCH_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{db}"

UNANSWERED = ["submitted", "accepted", "assigned", "returned", "signed", "in_progress",
              "reply_drafted", "reply_approved", "reopened"]

CASES_SQL = """
WITH units AS (SELECT array_agg(id ORDER BY id) AS ids FROM unit WHERE appraised),
     topics AS (SELECT array_agg(id ORDER BY id) AS ids FROM topic)
INSERT INTO "case" (number, query_code_hash, kind, channel, topic_id, target_unit_id, unit_id,
    title, content, name, phone, email, address, publish_consent, status, received_at,
    received_on, accept_due_on, due_on, calendar_known, extended, extension_reason,
    citizen_note, replied_at, replied_on, closed_at)
SELECT 'BN' || lpad(g::text, 10, '0'), md5(g::text),
    (ARRAY['complaint','report','suggestion','consultation','praise'])[1 + g % 5],
    (ARRAY['web','phone','letter','forum','visit','questionnaire','inspection'])[1 + g % 7],
    topics.ids[1 + g % array_length(topics.ids, 1)],
    units.ids[1 + (g / 7) % array_length(units.ids, 1)],
    units.ids[1 + (g / 7) % array_length(units.ids, 1)],
    '批量生成的事项 ' || g, '用于性能测试的内容，第 ' || g || ' 件。', '', '', '', '', false,
    s.status, (d.day + time '09:00') AT TIME ZONE 'Asia/Shanghai', d.day, d.day + 2,
    d.day + 21, true, false, '', '',
    CASE WHEN s.status IN ('closed','replied','rated')
         THEN (d.day + (g % 25) + time '16:00') AT TIME ZONE 'Asia/Shanghai' END,
    CASE WHEN s.status IN ('closed','replied','rated') THEN d.day + (g % 25) END,
    CASE WHEN s.status = 'closed' THEN (d.day + 40 + time '10:00') AT TIME ZONE 'Asia/Shanghai' END
FROM generate_series(1, {n}) AS g, units, topics,
LATERAL (SELECT date '2025-01-01' + (g % 700) AS day) AS d,
LATERAL (SELECT CASE WHEN g % 100 < 90 THEN 'closed'
                     WHEN g % 100 < 93 THEN 'replied'
                     WHEN g % 100 < 95 THEN 'rated'
                     ELSE ({unanswered})[1 + g % 9] END AS status) AS s
"""

RATINGS_SQL = """
INSERT INTO reply (case_id, body_html, drafted_by_id, drafted_at, submitted_at, approved_at,
                   released_at)
SELECT c.id, '<p>答复</p>', (SELECT min(id) FROM staff_user), c.replied_at, c.replied_at,
       c.replied_at, c.replied_at
FROM "case" c WHERE c.replied_on IS NOT NULL AND c.id % 5 = 0;
INSERT INTO rating (case_id, reply_id, value, reason, at)
SELECT r.case_id, r.id,
       (ARRAY['satisfied','basically_satisfied','unsatisfied'])[1 + r.case_id % 3], '',
       r.released_at
FROM reply r;
"""


def _database_name(text):
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", text):
        raise argparse.ArgumentTypeError("a database name of a-z, 0-9 and _")
    return text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    # A database name of letters, digits and underscores only: it is spliced into SQL below.
    parser.add_argument("--database", default="pingyi_bench", type=_database_name)
    options = parser.parse_args()
    n, name = options.cases, options.database
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    dsn = BENCH_DSN.format(db=name)
    env = os.environ | {"PORTAL_ENV": "development", "DATABASE_URL": BENCH_URL.format(db=name)}
    for args in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env,  # noqa: S603
                       check=True, capture_output=True)
    started = time.perf_counter()
    with psycopg.connect(dsn) as conn:
        states = "ARRAY[" + ",".join(f"'{s}'" for s in UNANSWERED) + "]"
        # Numbers only and our own constants: no outside text reaches this SQL.
        conn.execute(CASES_SQL.format(n=int(n), unanswered=states))  # nosec B608
        conn.execute(RATINGS_SQL)
        conn.commit()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        total = conn.execute('SELECT count(*) FROM "case"').fetchone()[0]
    print(f"{total} cases in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
