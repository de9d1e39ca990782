"""In a real browser: the office registers a letter by its date received and assigns it in the
same step, then finds it by the writer's phone; a unit enters a commitment, the office reviews
it, the public reads it, and the unit marks it "conditions not ripe" with a plan and a reason."""

import re
from datetime import timedelta

from sqlalchemy import select

from models import Case, Problem, db, utcnow
from portal.services.clock import local_date
from tests.e2e.conftest import shot
from tests.e2e.test_browser import sign_in
from tests.test_uploads import PDF


def test_a_letter_is_registered_assigned_and_found_again(browser, live, app, ctx):
    office = sign_in(browser, live, app, "office")
    received = local_date(utcnow()) - timedelta(days=4)
    office.goto(f"{live.url}/staff/cases/new")
    office.select_option("#channel", label="来信")
    office.fill("#received_on", received.isoformat())
    office.check("input[name=kind][value=complaint]")
    office.select_option("#target_unit", label="用地规划科")
    office.select_option("#topic", label="工作作风")
    office.fill("#title", "来信反映窗口排队")
    office.fill("#content", "信中说：窗口排队两个小时，只开了一个窗口。")
    office.fill("#name", "王五")
    office.fill("#phone", "139 0000 1234")
    office.check("#accept")
    office.select_option("#unit", label="用地规划科")
    shot(office, "h6-01-letter-entry")
    office.click("form[enctype] button[type=submit]")
    office.wait_for_selector("text=已交办至用地规划科")
    shot(office, "h6-02-letter-receipt")
    number = re.search(r"(PY\d{10})", office.content()).group(1)
    case = db.session.scalars(select(Case).where(Case.number == number)).one()
    assert (case.status, case.received_on) == ("assigned", received)

    office.click("nav >> text=查找")
    office.fill("#q", "13900001234")
    office.click("form[role=search] button[type=submit]")
    office.wait_for_selector("text=找到 1 件")
    assert number in office.content()
    shot(office, "h6-03-search-by-phone")


def test_a_commitment_is_reviewed_published_and_marked_not_ripe(browser, live, app, ctx,
                                                                tmp_path):
    lead = sign_in(browser, live, app, "land_lead")
    lead.goto(f"{live.url}/staff/ledger")
    lead.select_option("#unit", label="用地规划科")
    lead.select_option("#source", label="明查暗访")
    lead.fill("#description", "窗口午休时间无人值守")
    lead.fill("#measures", "实行午间轮岗")
    lead.fill("#responsible", "陈静")
    yesterday = local_date(utcnow()) - timedelta(days=1)
    lead.fill("#committed_on", yesterday.isoformat())
    lead.click("form[action$='/staff/ledger'] button[type=submit]")
    lead.wait_for_selector("text=承诺整改时限不能早于今天")
    lead.fill("#committed_on", (yesterday + timedelta(days=31)).isoformat())
    lead.click("form[action$='/staff/ledger'] button[type=submit]")
    lead.wait_for_selector("text=待评议办审核，尚未公开")

    citizen = browser.new_context(locale="zh-CN").new_page()
    citizen.goto(f"{live.url}/commitments")
    assert "实行午间轮岗" not in citizen.content()

    office = sign_in(browser, live, app, "office")
    office.goto(f"{live.url}/staff/ledger")
    office.click("text=审核通过并公开")
    office.wait_for_selector("text=已审核，该整改承诺已在“整改承诺”页公开。")
    citizen.reload()
    assert "实行午间轮岗" in citizen.content()

    problem = db.session.scalars(select(Problem)).one()
    lead.goto(f"{live.url}/staff/ledger")
    lead.click(f"#problem-{problem.id} summary")
    prefix = f"#p{problem.id}-"
    lead.select_option(prefix + "progress", label="条件不成熟")
    lead.fill(prefix + "unripe_plan", "明年一季度增加编制后实行")
    lead.fill(prefix + "unripe_reason", "现有人员不足以轮岗")
    evidence = tmp_path / "排班表.pdf"
    evidence.write_bytes(PDF)
    lead.set_input_files(prefix + "evidence_files", str(evidence))
    lead.click(f"form[action$='/ledger/{problem.id}'] button[type=submit]")
    lead.wait_for_selector("text=已更新进展：条件不成熟。")
    assert "排班表.pdf" in lead.content()
    shot(lead, "h6-04-ledger-not-ripe")
    citizen.reload()
    page = citizen.content()
    assert "计划：明年一季度增加编制后实行" in page and "原因：现有人员不足以轮岗" in page
    shot(citizen, "h6-05-commitments")
