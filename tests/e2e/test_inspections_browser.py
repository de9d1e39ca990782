"""In a real browser: the office issues a supervisor code, a supervisor reports an unannounced
visit on a phone with it, and the office turns the finding into a case routed to the section;
the office records a forum and puts a finding on the section's ledger."""

import re
from datetime import date, timedelta

from sqlalchemy import select

from models import Case, Problem, db
from tests.e2e.conftest import shot
from tests.e2e.test_accessibility import violations
from tests.e2e.test_browser import sign_in, solve_captcha
from tests.factories import unit


def test_supervisor_report_becomes_a_routed_case(browser, live, app, ctx):
    office = sign_in(browser, live, app, "office")
    office.click("nav >> text=检查记录")
    office.click("text=行风监督员码")
    office.fill("#name", "钱七")
    office.fill("#organisation", "市政协")
    office.click("form.narrow button[type=submit]")
    office.wait_for_selector("text=已为钱七生成监督员码")
    code = re.search(r"生成监督员码 ([A-Z2-9]{8})", office.content()).group(1)
    shot(office, "inspections-01-codes")
    assert violations(office) == []

    supervisor = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = supervisor.new_page()
    page.goto(f"{live.url}/supervise")
    page.fill("#code", code.lower())
    page.click("button[type=submit]")
    page.wait_for_selector("text=报告明查暗访情况")
    page.select_option("#unit", label="用地规划科")
    page.fill("#held_on", "2026-07-01")
    page.fill("#place", "政务服务中心二楼")
    page.fill("#text", "上午十点暗访，取号后等了四十分钟，窗口只开一个。")
    solve_captcha(page, live)
    shot(page, "inspections-02-supervisor-form-phone")
    assert violations(page) == []
    page.click("button[type=submit]")
    page.wait_for_selector("text=已收到您的报告，谢谢。")
    assert "钱七" not in page.content()
    shot(page, "inspections-03-supervisor-thanks-phone")
    assert violations(page) == []

    office.click("nav >> text=检查记录")
    office.click("text=2026-07-01")
    assert "行风监督员：钱七（市政协）" in office.content()
    office.click("summary:has-text('转为事项交办')")
    assert violations(office) == []
    office.select_option("select[name=kind] >> visible=true", label="投诉")
    office.select_option("select[name=topic] >> visible=true", label="工作作风")
    office.fill("input[name=title] >> visible=true", "窗口只开一个排队太久")
    office.click("button:has-text('转为事项并交办')")
    office.wait_for_selector("text=已受理并交办至用地规划科")
    shot(office, "inspections-04-finding-routed")
    db.session.expire_all()
    case = db.session.scalars(select(Case)).one()
    assert (case.channel, case.status, case.unit_id) == ("inspection", "assigned", unit("land").id)

    lead = sign_in(browser, live, app, "land_lead")
    assert case.number in lead.content()
    lead.click(f"text={case.number}")
    assert "检查记录：明查暗访 2026-07-01" in lead.content() and "钱七" not in lead.content()


def test_office_records_a_forum_and_puts_a_finding_on_the_ledger(browser, live, app, ctx):
    office = sign_in(browser, live, app, "office")
    office.goto(f"{live.url}/staff/inspections/new")
    office.click("button:has-text('登记')")  # empty: the errors come back, focusable
    office.wait_for_selector("#error-summary")
    assert violations(office) == []
    office.select_option("#kind", label="座谈会")
    office.fill("#held_on", "2026-06-30")
    office.fill("#place", "局三楼会议室")
    office.fill("#participants", "人大代表 李四\n社区主任 王五")
    office.fill(f"#finding_{unit('compilation').id}", "编制科公示栏内容过期，仍贴着去年的规划公示。")
    office.click("button:has-text('登记')")
    office.wait_for_selector("text=已登记检查记录，共 1 条发现。")
    office.click("summary:has-text('列入整改台账')")
    office.fill("textarea[name=measures]", "每周更新公示栏。")
    office.fill("input[name=responsible]", "赵六")
    office.fill("input[name=committed_on]", (date.today() + timedelta(days=60)).isoformat())
    office.click("button:has-text('列入整改台账')")
    office.wait_for_selector("text=已列入规划编制科的整改台账。")
    office.click("text=查看整改台账")
    office.wait_for_selector("text=每周更新公示栏。")
    assert "检查记录：座谈会 2026-06-30" in office.content()
    shot(office, "inspections-05-ledger")
    db.session.expire_all()
    problem = db.session.scalars(select(Problem)).one()
    assert (problem.source, problem.unit_id) == ("inspection", unit("compilation").id)
