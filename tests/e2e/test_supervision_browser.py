"""In a real browser: the office opens its home (工作台), follows the overdue count to the
filtered board, urges the case and sees it counted; on a phone the staff lists keep the deadline
on screen and no column shrinks to a character."""

import re
from datetime import timedelta

from models import Status, db, utcnow
from portal.services.clock import local_date
from tests.appraisal_helpers import create_questionnaire
from tests.e2e.conftest import shot
from tests.e2e.test_browser import sign_in
from tests.factories import make_case
from tests.test_board import drive

PHONE = {"width": 390, "height": 844}


def _overdue_case(title, days_late):
    case, _ = make_case(title=title)
    drive(case, Status.SIGNED)
    case.due_on = local_date(utcnow()) - timedelta(days=days_late)
    db.session.commit()
    return case


def _office_on_a_phone(browser, live, app):
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live.url}/staff/login")
    page.fill("#username", "office")
    page.fill("#password", app.config["DEMO_PASSWORDS"]["office"])
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/staff/board"))
    return context, page


def test_office_follows_the_overdue_count_and_urges_the_case(browser, live, app, ctx):
    late = _overdue_case("规划许可证迟迟未办", 2)
    office = sign_in(browser, live, app, "office")
    office.goto(f"{live.url}/staff/home")
    assert office.locator("#tile-overdue strong").inner_text() == "1"
    shot(office, "21-staff-home")
    office.click("#tile-overdue")
    office.wait_for_url(re.compile(r".*/staff/board\?due=overdue"))
    office.click(f"text={late.number}")
    office.fill("form[action$='/urge'] textarea[name=note]", "群众多次来电，请三日内答复")
    office.locator("form[action$='/urge'] button[type=submit]").click()
    office.wait_for_load_state()
    assert office.locator("p.flash.ok").inner_text() == (
        "已催办（第 1 次），已通知用地规划科负责人和承办人。")
    assert office.locator("strong.urged").inner_text() == "已催办 1 次"
    history = office.locator("ol.history").inner_text()
    assert "催办" in history and "群众多次来电，请三日内答复" in history
    shot(office, "22-case-urged")
    # An empty note is refused on the page, with the reason beside the field.
    office.locator("form[action$='/urge'] button[type=submit]").click()
    office.wait_for_load_state()
    assert "请填写催办意见。" in office.locator("form[action$='/urge']").inner_text()
    assert office.locator("strong.urged").inner_text() == "已催办 1 次"  # nothing was urged


def test_staff_lists_on_a_phone_keep_the_deadline_visible(browser, live, app, ctx):
    made = [_overdue_case(f"手机上查看的第{i + 1}件超期事项", 2 + i) for i in range(3)]
    context, page = _office_on_a_phone(browser, live, app)
    shot(page, "23-board-phone")
    deadlines = page.locator("table.cases td.deadline").all()
    assert len(deadlines) == 3
    for cell in deadlines:
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        assert box["y"] >= 0 and box["height"] > 0, box
    assert [cell.inner_text().split() for cell in deadlines] == [
        [f"{case.due_on:%Y-%m-%d}", "已超期"] for case in sorted(made, key=lambda c: c.due_on)]
    # No column squeezed: every cell is wider than two characters and nothing scrolls sideways.
    font = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    widths = page.evaluate("[...document.querySelectorAll('table.cases td')]"
                           ".map(td => td.getBoundingClientRect().width)")
    assert min(widths) > 2 * font, widths
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def test_a_questionnaire_with_its_public_link_fits_a_phone(browser, live, app, ctx):
    # The link is one unbroken word of ~60 characters: it widened the page to 449 px.
    _office, q = create_questionnaire(app, public=True)
    context, page = _office_on_a_phone(browser, live, app)
    # In English the invitation table's five headings are wider than the phone too.
    for lang in ("zh", "en"):
        page.goto(f"{live.url}/lang/{lang}")
        page.goto(f"{live.url}/staff/appraisal/{q.id}")
        link = page.locator("span.url")
        assert link.inner_text().endswith(f"/q/open/{q.public_token}")
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (lang, box)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], lang
    context.close()
