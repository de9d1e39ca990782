"""Reference data and the public pages made from it, kept per worker while the reference stamp
stays the same (portal/services/reference_cache.py, portal/web/page_cache.py), and a filing's
short way to the database."""

import io

import pytest
from sqlalchemy import text

from models import CalendarOverride, Case, db
from models.reference_stamp import read_stamp
from tests.appconfig import make_app, sql_statements
from tests.factories import form_data, png_bytes, receipt_codes, topic, unit
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


def test_a_web_filing_writes_in_one_statement_and_reads_nothing_back(slow_check):
    """PostgreSQL: counter, case and first event in one statement (models/case_filing.py);
    SQLite, which has no INSERT inside WITH: one statement each."""
    client = slow_check.test_client()
    assert client.post("/file", data=form_data(submission_key="w" * 22)).status_code == 200
    data = form_data(submission_key="s" * 22)
    with sql_statements() as seen:
        response = client.post("/file", data=data)
    assert response.status_code == 200
    assert "受理编号" in response.text
    if db.engine.dialect.name == "postgresql":
        expected = ["WITH n AS"]
    else:
        expected = ["INSERT INTO case_counter", 'INSERT INTO "case"', "INSERT INTO case_event"]
    assert [" ".join(text.split()[:3]) for text in seen] == expected
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


def receipt_part(html):
    return html[html.index('<div class="receipt"'):html.index("</main>")]


def test_a_kept_receipt_shows_each_filing_its_own_values(slow_check):
    """The receipt's words are kept per language and variant; number, code, title, time,
    deadline and file count are each filing's own, escaped as a full render escapes them."""
    client = slow_check.test_client()
    title = "<b>排队</b> & 等候"
    first = client.post("/file", data=form_data(submission_key="k" * 22, title=title))
    data = form_data(submission_key="m" * 22, title="窗口只开一个 \"慢\"")
    data["attachments"] = [(io.BytesIO(png_bytes()), "a.png"), (io.BytesIO(png_bytes()), "b.png")]
    second = client.post("/file", data=data, content_type="multipart/form-data")
    third = client.post("/file?full=1", data=form_data(submission_key="n" * 22, title=title))
    numbers = [receipt_codes(r.text)[0] for r in (first, second, third)]
    assert numbers == ["PY2026000001", "PY2026000002", "PY2026000003"]
    assert "&lt;b&gt;排队&lt;/b&gt; &amp; 等候" in first.text and "<b>" not in first.text
    assert "窗口只开一个 &#34;慢&#34;" in second.text
    assert "<dd>2 个</dd>" in second.text and "附件" not in receipt_part(first.text)
    assert 'href="/track?number=PY2026000002"' in second.text
    assert "pyslot" not in first.text + second.text
    # A kept receipt and a full render (a query string is never kept) read the same.
    assert receipt_part(first.text).replace("000001", "000003").replace(
        receipt_codes(first.text)[1], receipt_codes(third.text)[1]) == receipt_part(third.text)
    again = client.post("/file", data=form_data(submission_key="k" * 22, title=title))
    assert receipt_codes(again.text) == ("PY2026000001", None)
    assert "这份表单此前已提交过" in again.text and "查询码已在首次提交时显示" in again.text
    client.get("/lang/en")
    english = client.post("/file", data=form_data(submission_key="p" * 22))
    assert "<dt>Tracking number</dt>" in english.text and "受理编号" not in english.text
    assert 'class="mono big">PY2026000004</dd>' in english.text
