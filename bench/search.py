"""Staff search at a million cases: the median time of each kind of search, through the app's
own query (models/case_search.py) on PostgreSQL with the trigram index.

Usage:
    python bench/seed_million.py --database pingyi_bench_search
    python bench/search.py --database pingyi_bench_search --prepare   # once: varied text
    python bench/search.py --database pingyi_bench_search [--runs 21]

--prepare gives the seeded cases varied Chinese titles, contents, names and phones (the seed
writes one title pattern for all), then rebuilds the search index and analyzes. Target: every
median under 50 ms.
"""

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

VARIETY_SQL = """
DROP INDEX IF EXISTS ix_case_search_trgm;
WITH words AS (SELECT
    ARRAY['窗口办事排队太久', '规划许可审批进度慢', '违章建筑无人处理', '测绘成果收费不透明',
          '道路规划影响出行', '小区停车位规划不足', '工作人员态度生硬', '公示信息更新不及时',
          '建设工程验收拖延', '夜间施工噪音扰民', '学校周边交通拥堵', '老旧小区加装电梯'] AS titles,
    ARRAY['上周三去办事大厅', '多次打电话没人接', '网上申报一直显示审核中', '邻居私自加盖二层',
          '公示牌上的信息是去年的', '施工单位晚上十一点还在作业', '窗口只开了一个',
          '材料交了三次还说不全', '规划图和现场不一致', '希望尽快给个答复'] AS openings,
    ARRAY['请相关科室核实处理。', '希望公开办理进度。', '影响了周边居民的正常生活。',
          '不知道该找哪个部门。', '请给一个明确的时间。', '已经反映过一次了。'] AS endings,
    ARRAY['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴', '徐', '孙', '马', '朱',
          '胡', '郭', '何', '林', '罗', '高', '欧阳', '司马', '梁', '宋', '郑', '谢', '韩',
          '唐', '冯', '于'] AS surnames,
    ARRAY['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟',
          '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '建华', '文', '华', '红', '玉兰',
          '春梅', '海燕', '志强', '国庆', '晓东', '丹', '婷', '鹏', '辉', '斌', '宇', '浩',
          '佳怡'] AS given)
UPDATE "case" SET
    title = titles[1 + (id * 7) % 12],
    content = openings[1 + id % 10] || '，' || titles[1 + (id / 10) % 12] || '，'
              || endings[1 + (id / 120) % 6] || '（登记序号 ' || id || '）',
    name = CASE WHEN id % 3 = 0 THEN '' ELSE surnames[1 + id % 30] || given[1 + (id / 30) % 40] END,
    phone = CASE WHEN id % 4 = 0 THEN ''
                 ELSE '13' || lpad(((id::bigint * 7919) % 1000000000)::text, 9, '0') END,
    phone_digits = CASE WHEN id % 4 = 0 THEN ''
                        ELSE '13' || lpad(((id::bigint * 7919) % 1000000000)::text, 9, '0') END
FROM words;
"""
INDEX_SQL = ('CREATE INDEX ix_case_search_trgm ON "case" USING gin (title gin_trgm_ops, '
             'content gin_trgm_ops, name gin_trgm_ops, phone_digits gin_trgm_ops)')


def prepare(dsn):
    started = time.perf_counter()
    with psycopg.connect(dsn) as conn:
        conn.execute(VARIETY_SQL)
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        conn.execute(INDEX_SQL)
        conn.commit()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute('VACUUM ANALYZE "case"')
    print(f"prepared in {time.perf_counter() - started:.0f} s")


def _app(url):
    from app import create_app
    from config import DevelopmentConfig

    class BenchConfig(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = url

    return create_app(BenchConfig)


def searches(dsn):
    """(label, term, who): terms picked from the data itself, so each has matches."""
    with psycopg.connect(dsn) as conn:
        number, phone, name = conn.execute(
            "SELECT number, phone, name FROM \"case\" WHERE phone <> '' AND name <> '' "
            "AND kind <> 'report' AND unit_id = (SELECT unit_id FROM staff_user "
            "WHERE username = 'land_lead') ORDER BY id OFFSET 5000 LIMIT 1").fetchone()
        serial = conn.execute('SELECT id FROM "case" ORDER BY id OFFSET 777777 LIMIT 1').fetchone()[0]
    spaced = f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    return [
        ("number", number, "office"),
        ("title words, common (1 in 12)", "停车位规划", "office"),
        ("content words, one case", f"登记序号 {serial}）", "office"),
        ("content words, none match", "地铁站出口", "office"),
        ("contact name (two or three characters)", name, "office"),
        ("three-character name, 833 cases", "欧阳佳", "office"),
        ("phone, typed with spaces", spaced, "office"),
        ("phone, last 8 digits", phone[-8:], "office"),
        ("two characters, common (below a trigram)", "噪音", "office"),
        ("two characters, none match", "地铁", "office"),
        # Terms between rare and common, where a wrong guess of the planner costs most.
        ("two-character given name (1 in 60)", "佳怡", "office"),
        ("three-character name (1 in 1200)", "李秀英", "office"),
        ("content digits (about 110 cases)", "序号 5555", "office"),
        ("four digits of phones", "7919", "office"),
        ("unit leader: three-character name", "欧阳佳", "land_lead"),
        ("unit leader: title words in own unit", "停车位规划", "land_lead"),
        ("unit leader: phone in own unit", phone, "land_lead"),
        ("handler: phone (contacts of own cases only)", phone, "land_handler"),
    ]


def run(url, dsn, runs):
    from models import db, find_staff
    from models.access import case_fence
    from models.case_search import normalize_term, search

    app = _app(url)
    results = []
    with app.app_context():
        for label, term, who in searches(dsn):
            viewer = find_staff(who)
            fence = case_fence(viewer)
            stmt = search(normalize_term(term), viewer, fence)
            times, found = [], 0
            for _ in range(runs):
                started = time.perf_counter()
                found = len(db.session.scalars(stmt).all())
                times.append((time.perf_counter() - started) * 1000)
                db.session.rollback()
            results.append((label, term, found, statistics.median(times)))
    width = max(len(r[0]) for r in results)
    for label, term, found, median in results:
        print(f"{label:<{width}}  {median:7.1f} ms  {found:3d} found  ({term})")
    slowest = max(r[3] for r in results)
    print(f"slowest median {slowest:.1f} ms over {runs} runs each; target < 50 ms")
    return slowest


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="pingyi_bench")
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--prepare", action="store_true")
    options = parser.parse_args()
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", options.database):
        parser.error("a database name of a-z, 0-9 and _")
    dsn = f"host=127.0.0.1 port=5432 user=postgres dbname={options.database}"
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{options.database}"
    if options.prepare:
        prepare(dsn)
    run(url, dsn, options.runs)


if __name__ == "__main__":
    main()
