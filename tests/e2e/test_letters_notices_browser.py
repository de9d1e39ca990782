"""In a real browser: the office publishes a redacted letter that the public finds by keyword;
a citizen who lost the query code gets a new one by mail (real SMTP) and uses it; the office
publishes a notice with an attachment that the home page shows."""

import re

from models import db
from portal.services import mail
from tests.e2e.conftest import shot
from tests.e2e.test_browser import sign_in, solve_captcha
from tests.factories import NOW, make_case, release_reply
from tests.test_mail import Inbox, serve_smtp
from tests.test_uploads import PDF

VALID_ID = "11010519491231002X"


def test_the_office_publishes_a_redacted_letter_and_the_public_finds_it(browser, live, app, ctx):
    case, _ = make_case(title="规划公示栏字迹模糊", name="王小明", publish_consent=True,
                        content=f"我是王小明，身份证{VALID_ID}，电话13800138000，公示栏看不清。")
    release_reply(case, NOW, body_html="<p>已更换公示栏。</p>")
    db.session.commit()
    office = sign_in(browser, live, app, "office")
    office.click("text=信件公开")
    office.click(f"tr:has-text('{case.number}') button:has-text('生成脱敏稿')")
    office.wait_for_selector("text=审核公开稿")
    question = office.locator("#question")
    assert question.input_value() == "我是[姓名]，身份证[身份证号]，电话[电话]，公示栏看不清。"
    question.fill("公示栏看不清，希望更换。")
    office.click("button:has-text('保存公开稿')")
    office.wait_for_selector("text=脱敏稿已保存，尚未公开。")
    assert VALID_ID in office.locator("#original-question").inner_text()  # the original stays
    office.click("#publish")
    office.wait_for_selector("text=已公开《规划公示栏字迹模糊》。")
    shot(office, "h5-01-letter-published")

    citizen = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    citizen.goto(live.url)
    citizen.click("text=信件公开")
    citizen.fill("#f-q", "公示栏")
    citizen.click("button:has-text('筛选')")
    citizen.click("text=规划公示栏字迹模糊")
    assert citizen.locator("#question").inner_text() == "公示栏看不清，希望更换。"
    assert citizen.locator("#answer").inner_text() == "已更换公示栏。"
    assert "王小明" not in citizen.content() and VALID_ID not in citizen.content()
    shot(citizen, "h5-02-letter-public-phone")


def test_a_citizen_gets_a_new_query_code_by_mail_and_uses_it(browser, live, app, ctx):
    case, old_code = make_case(email="citizen@example.com")
    db.session.commit()
    smtp = serve_smtp(live.app, Inbox())
    inbox = next(smtp)
    try:
        page = browser.new_context(locale="zh-CN").new_page()
        page.goto(f"{live.url}/track")
        page.click("text=忘记查询码？")
        page.fill("#number", case.number)
        page.fill("#email", "citizen@example.com")
        solve_captcha(page, live)
        page.click("button[type=submit]")
        page.wait_for_selector("#reset-done")
        shot(page, "h5-03-code-sent")
        with live.app.app_context():
            mail.send_pending(now=NOW)
        [message] = inbox.messages
        assert message["To"] == "citizen@example.com"
        body = message.get_payload(decode=True).decode()
        new_code = re.search(r"新的查询码：([A-Z2-9]{12})", body).group(1)
        page.goto(f"{live.url}/track")
        page.fill("#number", case.number)
        page.fill("#code", old_code)
        page.click("button[type=submit]")
        page.wait_for_selector("text=受理编号或查询码不正确。")
        page.fill("#code", new_code)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(rf".*/track/{case.number}"))
        assert "窗口办事排队太久" in page.content()
    finally:
        next(smtp, None)  # the app's mail settings restored, the server stopped


def test_the_office_publishes_a_notice_the_home_page_shows(browser, live, app, ctx, tmp_path):
    attachment = tmp_path / "动员方案.pdf"
    attachment.write_bytes(PDF)
    office = sign_in(browser, live, app, "office")
    office.click("nav >> text=通知公告")
    office.fill("#title", "关于开展2026年度民主评议的通知")
    office.fill("#body", "各科室：\n请按方案开展宣传发动。")
    office.fill("#dated_on", "2026-06-01")
    office.set_input_files("#attachments", str(attachment))
    office.click("button:has-text('发布')")
    office.wait_for_selector("text=已发布通知《关于开展2026年度民主评议的通知》。")
    shot(office, "h5-04-notice-published")

    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(live.url)
    page.click("text=关于开展2026年度民主评议的通知")
    # The line break shows by the stylesheet's pre-wrap: read the text once the page and its
    # stylesheet have loaded (read earlier, on a busy machine, it came without the break).
    page.wait_for_url("**/notices/*")
    page.wait_for_load_state("load")
    assert page.locator("#notice-body").inner_text() == "各科室：\n请按方案开展宣传发动。"
    with page.expect_download() as download:
        page.click("text=动员方案.pdf")
    assert download.value.suggested_filename == "动员方案.pdf"
    shot(page, "h5-05-notice-public")
