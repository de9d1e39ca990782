"""Tracking numbers stay unique and gap-free when many filings arrive at once."""

import threading

from sqlalchemy import select

from models import Case, db
from tests.factories import NOW, make_case


def test_concurrent_filings_get_distinct_sequential_numbers(app):
    numbers, errors = [], []

    def file_one():
        with app.app_context():
            try:
                numbers.append(make_case()[0].number)
            except Exception as exc:  # noqa: BLE001  (collected and asserted below)
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=file_one) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == [f"PY2026{i:06d}" for i in range(1, 13)]


def test_numbers_restart_each_year(ctx):
    make_case()
    later = NOW.replace(year=2027, month=1, day=5)
    assert make_case(now=later)[0].number == "PY2027000001"
    assert db.session.scalars(select(Case.number).order_by(Case.id)).all()[0] == "PY2026000001"
