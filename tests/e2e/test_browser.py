"""In a real browser: a citizen files a complaint, the office routes it, the unit replies, the
citizen reads and rates it; a representative answers a questionnaire from an invitation code."""

import re

from models import db
from portal.abuse import captcha
from portal.services import appraisal
from tests.e2e.conftest import shot
from tests.factories import unit


def solve_captcha(page, live):
    challenge = page.locator("input[name=captcha_id]").input_value()
    with live.app.app_context():
        answer = captcha.peek(challenge)
    page.fill("input[name=captcha]", answer.lower())


def sign_in(browser, live, app, username):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live.url}/staff/login")
    page.fill("#username", username)
    page.fill("#password", app.config["DEMO_PASSWORDS"][username])
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/staff/board"))
    return page


def open_case(page, live, number):
    page.goto(f"{live.url}/staff/cases")
    page.click(f"text={number}")


# What the page says after each step: what was done, not only "saved".
DONE = {
    "accept": "已受理，并分办至用地规划科。",
    "sign": "已签收，承办人：用地规划科 刘洋。",
    "start": "已开始办理。",
    "reply": "答复已提交科室负责人审核。",
    "approve": "答复已审核通过，等待评议办发布。",
    "release": "答复已发布，群众现在可以查看。",
}


def press(page, action):
    page.locator(f"form[action$='/{action}'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("p.flash.ok").inner_text() == DONE[action], page.content()[:2000]


def test_complaint_from_filing_to_rating(browser, live, app, ctx):
    citizen = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = citizen.new_page()
    page.goto(live.url)
    shot(page, "01-home-phone")
    page.click("text=我要反映")
    page.check("input[name=kind][value=complaint]")
    page.select_option("#target_unit", label="用地规划科")
    page.select_option("#topic", label="工作作风")
    page.fill("#title", "办事窗口长时间无人")
    page.fill("#content", "周一上午十点窗口无人值守，等了四十分钟。")
    page.fill("#phone", "13800138000")
    solve_captcha(page, live)
    shot(page, "02-form-filled")
    page.click("button[type=submit]")
    page.wait_for_selector("text=已收到您反映的问题")
    shot(page, "03-receipt")
    html = page.content()
    number = re.search(r"(PY\d{10})", html).group(1)
    code = re.search(r'查询码</dt><dd class="mono big">(\w+)</dd>', html).group(1)

    office = sign_in(browser, live, app, "office")
    shot(office, "04-board")
    open_case(office, live, number)
    office.select_option("form[action$='/accept'] select[name=unit]", label="用地规划科")
    press(office, "accept")
    shot(office, "05-case-accepted")

    handler = sign_in(browser, live, app, "land_handler")
    open_case(handler, live, number)
    press(handler, "sign")
    press(handler, "start")
    handler.fill("form[action$='/reply'] textarea[name=body]",
                 "<p>经核查，已安排专人值守窗口，并公布值班电话。</p>")
    handler.check("form[action$='/reply'] input[name=submit_for_approval]")
    press(handler, "reply")

    lead = sign_in(browser, live, app, "land_lead")
    open_case(lead, live, number)
    press(lead, "approve")
    open_case(office, live, number)
    press(office, "release")

    page.goto(f"{live.url}/track")
    page.fill("#number", number)
    page.fill("#code", code)
    page.click("button[type=submit]")
    page.wait_for_selector("text=已安排专人值守窗口")
    page.check("input[name=value][value=satisfied]")
    page.click("form[action$='/rate'] button[type=submit]")
    page.wait_for_selector("text=您的评价：满意")
    shot(page, "06-rated")
    citizen.close()


def test_representative_answers_from_an_invitation_code(browser, live, app, ctx):
    from models import current_campaign
    from models.org import active_units

    campaign = current_campaign(__import__("datetime").date(2026, 7, 1))
    q = appraisal.create_questionnaire(
        campaign=campaign, title="2026年度民主评议问卷", intro="", public_link=False,
        unit_ids=[u.id for u in active_units() if u.appraised], weights=(100, 80, 0),
        min_answers=1)
    appraisal.set_state(questionnaire=q, is_open=True)
    invitation = appraisal.invite(questionnaire=q, name="赵一", group="representative")
    code = invitation.code
    db.session.commit()

    # On a phone: one tap per section, one tap for a section the representative does not know.
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live.url}/q")
    page.fill("#code", code)
    page.click("button[type=submit]")
    page.wait_for_selector("text=2026年度民主评议问卷")
    land, *others = [u for u in q.units if u.id == unit("land").id] + [
        u for u in q.units if u.id != unit("land").id]
    first_other = others[0]
    page.check(f"#d_{first_other.id}")
    assert not page.is_visible(f"input[name=r_{first_other.id}_all]")  # folded away
    for u in others[1:]:
        page.check(f"input[name=r_{u.id}_all][value=dont_know]")
    page.check(f"input[name=r_{land.id}_all][value=satisfied]")
    page.fill(f"#o_{land.id}", "希望公开办事流程图。")
    page.wait_for_selector("text=已自动暂存", timeout=10000)
    shot(page, "07-questionnaire")
    # Stopped and resumed elsewhere with the same code: the answers are back.
    again = browser.new_context(locale="zh-CN").new_page()
    again.goto(f"{live.url}/q")
    again.fill("#code", code)
    again.click("button[type=submit]")
    again.wait_for_selector("text=2026年度民主评议问卷")
    assert again.is_checked(f"input[name=r_{land.id}_all][value=satisfied]")
    assert again.is_checked(f"#d_{first_other.id}")
    assert again.input_value(f"#o_{land.id}") == "希望公开办事流程图。"
    again.click("button[type=submit]:not([name=save])")
    again.wait_for_selector("text=问卷已提交，谢谢您的参与")
    page = again
    assert "用地规划科" in page.content() and re.search(r"PY\d{10}", page.content())
    shot(page, "08-questionnaire-thanks")
