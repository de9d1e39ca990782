"""axe-core in Chromium on every public page and the main staff pages, with data on them:
no serious or critical violation. axe.min.js comes from the axe-playwright-python package (the
test extras), read from disk; the app's CSP forbids inline scripts, so it is evaluated through
Playwright rather than added as a script tag."""

import re
from pathlib import Path

import axe_playwright_python
import pytest

from tests.e2e.conftest import shot
from tests.e2e.test_browser import sign_in, solve_captcha
from tests.factories import unit
from tests.test_english_pages import make_data

AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
SEVERE = {"serious", "critical"}


def violations(page):
    """axe's serious and critical violations on the page as it is now, one line each."""
    page.evaluate(AXE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['impact']} {v['id']}: {v['help']} at "
            + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
            for v in result["violations"] if v["impact"] in SEVERE]


@pytest.fixture
def audit():
    found = {}

    def check(page, name):
        page.wait_for_load_state()
        if problems := violations(page):
            found[f"{name} ({page.url})"] = problems
        return page

    yield check, found


def test_axe_runs_and_sees_a_violation(browser, live, app, ctx):
    page = browser.new_context().new_page()
    page.goto(f"{live.url}/")
    page.evaluate("document.querySelector('a.brand').textContent = ''")  # a link with no name
    assert any("link-name" in v for v in violations(page))


def test_public_pages_have_no_serious_violations(browser, live, app, ctx, audit):
    check, found = audit
    data = make_data(app)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    for path, name in (("/", "home"), ("/file", "file"), ("/track", "track"), ("/stats", "stats"),
                       ("/commitments", "commitments"), ("/q", "q-code")):
        page.goto(f"{live.url}{path}")
        check(page, name)
    page.goto(f"{live.url}/file")
    page.click("button[type=submit]")
    check(page, "file-with-errors")
    shot(page, "a11y-file-errors-phone")
    page.check("input[name=kind][value=complaint]")
    page.select_option("#topic", index=1)
    page.fill("#title", "办事窗口长时间无人")
    page.fill("#content", "周一上午十点窗口无人值守，等了四十分钟。")
    page.fill("#phone", "13800138000")
    solve_captcha(page, live)
    page.click("button[type=submit]")
    page.wait_for_selector("text=已收到您反映的问题")
    check(page, "receipt")

    page.goto(f"{live.url}/track")
    page.fill("#number", data["unrated"].number)
    page.fill("#code", data["unrated_code"])
    page.click("button[type=submit]")
    page.wait_for_selector("form[action$='/rate']")
    check(page, "status-with-reply-and-rating-form")
    shot(page, "a11y-status-phone")

    page.goto(f"{live.url}/q/{data['unused'].token}")
    check(page, "questionnaire")
    for radio in page.locator("input[type=radio][name$=_all][value=dont_know]").all():
        radio.check()
    page.locator("details.topics").first.evaluate("d => d.open = true")
    check(page, "questionnaire-topics-open")
    page.check(f"input[name=r_{unit('land').id}_all][value=satisfied]")
    page.click("button[type=submit]:not([name=save])")
    page.wait_for_selector("text=问卷已提交，谢谢您的参与")
    check(page, "questionnaire-thanks")
    context.close()
    assert found == {}, "\n".join(f"{k}:\n  " + "\n  ".join(v) for k, v in found.items())


def test_staff_pages_have_no_serious_violations(browser, live, app, ctx, audit):
    check, found = audit
    data = make_data(app)
    office = sign_in(browser, live, app, "office")
    check(office, "board")
    q = data["q"]
    for path, name in (("/staff/triage", "triage"), ("/staff/cases", "cases"),
                       (f"/staff/cases/{data['unrated'].id}", "case-replied"),
                       (f"/staff/cases/{data['case'].id}", "case-rated"),
                       ("/staff/ledger", "ledger"), (f"/staff/reports/{unit('land').id}", "report"),
                       (f"/staff/appraisal/{q.id}", "questionnaire"),
                       (f"/staff/appraisal/{q.id}/results", "results")):
        office.goto(f"{live.url}{path}")
        check(office, name)
    handler = sign_in(browser, live, app, "land_handler")
    draft = re.search(r'href="/staff/cases/(\d+)"', handler.content())
    handler.goto(f"{live.url}/staff/cases/{draft.group(1)}")
    check(handler, "case-in-progress-with-forms")
    lead = sign_in(browser, live, app, "land_lead")
    lead.goto(f"{live.url}/staff/ledger")
    check(lead, "ledger-as-leader")
    assert found == {}, "\n".join(f"{k}:\n  " + "\n  ".join(v) for k, v in found.items())
