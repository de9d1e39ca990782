"""Tracking numbers stay unique and gap-free when many filings arrive at once."""

import threading

import pytest
from sqlalchemy import func, select

from models import Case, CaseCounter, FieldError, Role, db
from portal.services import intake
from portal.services.clock import deadline_policy
from tests.factories import NOW, make_case, unit

FIELDS = {"kind": "complaint", "channel": "phone", "title": "电话反映窗口排队",
          "content": "来电反映办事大厅窗口排队两个小时。"}


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


def test_a_number_past_a_million_keeps_every_digit(ctx):
    # The year's counter is written in SQL on PostgreSQL (models/case_filing.py) and in
    # Python on SQLite; both must pad to six digits and never cut a seventh.
    db.session.add(CaseCounter(year=2026, last=999_998))
    db.session.commit()
    numbers = [make_case()[0].number for _ in range(3)]
    assert numbers == ["PY2026999999", "PY20261000000", "PY20261000001"]
    assert db.session.get(CaseCounter, 2026).last == 1_000_001


def test_a_refused_filing_gives_its_number_back(ctx):
    def refuse(case):
        raise FieldError("不予登记", "unit_id")

    with pytest.raises(FieldError):
        intake.file_case(fields=dict(FIELDS), then=refuse, now=NOW)
    assert db.session.scalars(select(Case)).all() == []
    case, _code = make_case()
    assert case.number == "PY2026000001"
    assert [e.action for e in db.session.get(Case, case.id).events] == ["submitted"]


def test_a_filing_and_the_step_after_it_are_one_write(ctx):
    # ``then`` works on the case the one statement wrote, through the ORM, before the commit.
    def accept(case):
        case.accept(policy=deadline_policy(), role=Role.OFFICE, unit=unit("land"), at=NOW)

    case, _code = intake.file_case(fields=dict(FIELDS), then=accept, now=NOW)
    db.session.expire_all()
    stored = db.session.get(Case, case.id)
    assert (stored.number, stored.status, stored.unit_id) == (
        "PY2026000001", "assigned", unit("land").id)
    assert [(e.action, e.from_status, e.to_status) for e in stored.events] == [
        ("submitted", None, "submitted"), ("accepted", "submitted", "accepted"),
        ("assigned", "accepted", "assigned")]
    assert db.session.scalar(select(func.count()).select_from(Case)) == 1
