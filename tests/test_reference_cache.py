"""Reference data and the public pages made from it, kept per worker while the reference stamp
stays the same (portal/services/reference_cache.py, portal/web/page_cache.py), and a filing's
short way to the database."""


import pytest
from sqlalchemy import text

from models import CalendarOverride, Case, db
from models.reference_stamp import read_stamp
from tests.appconfig import make_app, sql_statements
from tests.factories import form_data, topic, unit
from tests.http_client import hidden


@pytest.fixture
def slow_check():
    """A worker that looks at the stamp at most once a minute, as if the clock stood still."""
    application = make_app(REFERENCE_CHECK_SECONDS=60)
    with application.app_context():
        yield application
        db.session.remove()


def rename_unit_behind_the_orm(unit_id, name):
    """What another worker's change looks like from here: rows changed, no hook of ours ran."""
    db.session.execute(text("UPDATE unit SET name = :n WHERE id = :i"), {"n": name, "i": unit_id})
    db.session.commit()


def renew_stamp_behind_the_orm():
    db.session.execute(text("UPDATE reference_stamp SET token = 'changed-elsewhere'"))
    db.session.commit()


def test_a_cached_form_page_reads_nothing_from_the_database(slow_check):
    client = slow_check.test_client()
    assert (client.get("/file").status_code, client.get("/").status_code) == (200, 200)
    with sql_statements() as seen:
        again = client.get("/file"), client.get("/"), client.get("/track")
    assert [r.status_code for r in again] == [200, 200, 200]
    assert seen == []


def test_each_view_of_a_cached_form_gets_its_own_key_and_the_units_of_the_day(slow_check):
    client = slow_check.test_client()
    first, second = client.get("/file").text, client.get("/file").text
    land = unit("land")
    assert f'<option value="{land.id}">{land.name}</option>' in first
    keys = hidden(first, "submission_key"), hidden(second, "submission_key")
    assert keys[0] != keys[1]
    assert all(len(k) == 22 for k in keys)
    assert "pyslot" not in first and "pyslot" not in second


def test_another_workers_change_shows_once_the_stamp_changes(ctx):
    client = ctx.test_client()  # REFERENCE_CHECK_SECONDS = 0: the stamp is read every request
    land = unit("land")
    old, new = land.name, "测试更名科"
    assert f">{old}</option>" in client.get("/file").text
    try:
        rename_unit_behind_the_orm(land.id, new)
        # The stamp did not change: this worker rightly keeps its copy.
        assert f">{old}</option>" in client.get("/file").text
        renew_stamp_behind_the_orm()
        page = client.get("/file").text
        assert f">{new}</option>" in page
        assert f">{old}</option>" not in page
    finally:
        rename_unit_behind_the_orm(land.id, old)
        renew_stamp_behind_the_orm()


def test_a_change_made_through_the_orm_renews_the_stamp_and_shows_at_once(slow_check):
    client = slow_check.test_client()
    style = topic("style")
    old = style.name
    assert f">{old}</option>" in client.get("/file").text
    before = read_stamp(db.session)
    try:
        style.name = "测试更名内容"
        db.session.commit()
        after = read_stamp(db.session)
        assert after != before
        assert len(after) == 32
        # Even a worker that would not look at the stamp for a minute sees its own change.
        assert ">测试更名内容</option>" in client.get("/file").text
    finally:
        style.name = old
        db.session.commit()


def test_a_calendar_override_reaches_the_deadline_policy_of_the_next_request(ctx):
    from datetime import date

    from portal.services.clock import deadline_policy

    saturday = date(2026, 12, 5)
    with ctx.test_request_context():
        assert deadline_policy().calendar.is_workday(saturday) is False
    db.session.add(CalendarOverride(day=saturday, is_workday=True, note="调休"))
    db.session.commit()
    with ctx.test_request_context():
        assert deadline_policy().calendar.is_workday(saturday) is True


def test_a_page_with_a_flash_message_or_a_query_is_rendered_in_full(slow_check):
    client = slow_check.test_client()
    client.get("/track")
    prefilled = client.get("/track?number=PY2026000123").text
    assert 'value="PY2026000123"' in prefilled
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "测试提示")]
    assert "测试提示" in client.get("/track").text


def test_a_web_filing_makes_three_statements_and_reads_nothing_back(slow_check):
    client = slow_check.test_client()
    assert client.post("/file", data=form_data(submission_key="w" * 22)).status_code == 200
    data = form_data(submission_key="s" * 22)
    with sql_statements() as seen:
        response = client.post("/file", data=data)
    assert response.status_code == 200
    assert "受理编号" in response.text
    assert [" ".join(text.split()[:3]) for text in seen] == [
        "UPDATE case_counter SET", 'INSERT INTO "case"', "INSERT INTO case_event"]
    assert db.session.query(Case).count() == 2


def test_a_repeated_form_that_passes_its_checks_shows_the_first_receipt(client, ctx):
    first = client.post("/file", data=form_data(submission_key="r" * 22))
    again = client.post("/file", data=form_data(submission_key="r" * 22))
    assert (first.status_code, again.status_code) == (200, 200)
    assert "这份表单此前已提交过" not in first.text
    assert "这份表单此前已提交过" in again.text
    number = db.session.query(Case.number).scalar()
    assert number in first.text and number in again.text


def test_switching_the_captcha_on_gives_a_page_with_a_challenge_of_its_own(slow_check):
    client = slow_check.test_client()
    plain = client.get("/file").text
    assert 'name="captcha_id"' not in plain
    slow_check.config["CAPTCHA_ENABLED"] = True
    guarded = client.get("/file").text
    challenge = hidden(guarded, "captcha_id")
    assert len(challenge) >= 16 and "pyslot" not in guarded
    assert f"/captcha/{challenge}.png" in guarded
