"""Tracking numbers stay unique and gap-free when many filings arrive at once."""

import threading
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import IntegrityError

from models import Attachment, Case, CaseCounter, FieldError, Role, db
from portal.abuse import uploads
from portal.services import intake
from portal.services.clock import deadline_policy
from tests.factories import NOW, PDF, make_case, unit

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


def _statements_during(work):
    """(first word, autocommit, transaction status before it) of each statement ``work``
    sends to the database."""
    seen = []

    def record(conn, cursor, statement, params, context, executemany):
        driver = conn.connection.driver_connection
        seen.append((statement.split()[0], driver.autocommit, driver.info.transaction_status.name))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        work()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return seen


def test_a_filing_with_no_step_after_it_is_one_statement_that_commits_itself(ctx, is_postgres):
    if not is_postgres:
        pytest.skip("SQLite has no data-modifying CTEs: it writes a filing in steps")
    make_case()
    db.session.remove()
    seen = _statements_during(lambda: intake.file_case(fields=dict(FIELDS), now=NOW))
    # No BEGIN and no COMMIT of its own: the one statement, in autocommit, is the transaction
    # (the reference stamp, which the test config reads on every use, comes before it).
    assert [step for step in seen if step[0] != "SELECT"] == [("WITH", True, "IDLE")]
    # Durable on return, before the caller's session has done anything: another connection
    # sees the case with its event.
    with db.engine.connect() as other:
        assert other.execute(select(func.count()).select_from(Case)).scalar_one() == 2
        assert other.execute(text("SELECT count(*) FROM case_event")).scalar_one() == 2


def test_a_filing_with_a_step_after_it_stays_in_one_transaction(ctx, is_postgres):
    if not is_postgres:
        pytest.skip("SQLite has no data-modifying CTEs: it writes a filing in steps")

    def accept(case):
        case.accept(policy=deadline_policy(), role=Role.OFFICE, unit=unit("land"), at=NOW)

    make_case()
    db.session.remove()
    seen = _statements_during(lambda: intake.file_case(fields=dict(FIELDS), then=accept, now=NOW))
    assert seen[0] == ("WITH", False, "IDLE")
    assert all(not autocommit for _word, autocommit, _status in seen)


def _files(folder):
    return {p.name for p in Path(folder).iterdir() if p.is_file()} if Path(folder).is_dir() else set()


def test_a_filing_joins_what_the_caller_began_in_the_session(ctx):
    # A finding's claim and its case commit together: here the other write cannot be made,
    # so neither is the case, its number is given back and its file removed.
    make_case()
    db.session.add(CaseCounter(year=2026, last=50))  # the year's counter row again
    files = [uploads.prepare("合同.pdf", PDF, 5 << 20)]
    before = _files(ctx.config["UPLOAD_FOLDER"])
    with pytest.raises(IntegrityError):
        intake.file_case(fields=dict(FIELDS), attachments=files, now=NOW)
    db.session.rollback()
    assert db.session.scalars(select(Case.number)).all() == ["PY2026000001"]
    assert db.session.scalars(select(Attachment)).all() == []
    assert _files(ctx.config["UPLOAD_FOLDER"]) == before
    assert make_case()[0].number == "PY2026000002"


def test_a_stored_filing_keeps_its_files_when_the_commit_after_it_fails(ctx, is_postgres):
    if not is_postgres:
        pytest.skip("on SQLite the case is written by the commit that fails, files and all")
    make_case()
    db.session.remove()

    def lost(session):  # stands for the connection lost when the session commits
        raise ConnectionError("lost")

    files = [uploads.prepare("合同.pdf", PDF, 5 << 20)]
    event.listen(db.session(), "before_commit", lost)
    with pytest.raises(ConnectionError):
        intake.file_case(fields=dict(FIELDS), attachments=files, now=NOW)
    db.session.remove()
    stored = db.session.scalars(select(Case).where(Case.number == "PY2026000002")).one()
    [attachment] = stored.attachments
    folder = Path(ctx.config["UPLOAD_FOLDER"])
    assert (folder / attachment.stored_name).read_bytes() == PDF
