"""The staff lists cost a fixed number of SQL statements whatever their rows hold: a page of
cases across several units, handlers and statuses must not load a unit, a handler or a
calendar per row (an N+1 at a million cases is what made these pages slow)."""

import re

import pytest

from models import db
from portal.services import handling
from tests.appconfig import sql_statements
from tests.factories import NOW, login, make_case, staff, unit

# staff_user (flask-login), the reference stamp (the testing config looks at it on every
# request; units, topics, calendar and time limits come from the worker's copy), the page's
# cases. Triage adds its pending extensions.
LIST_STATEMENTS = 3
TRIAGE_STATEMENTS = 4




@pytest.fixture
def thirty_cases(app, ctx):
    """30 cases: 7 not yet assigned, 23 spread over three units (9 land; one
    unit since made inactive), half of those signed by a handler, one with a pending extension request."""
    office = staff("office")
    handlers = {"land": staff("land_handler"), "compilation": staff("compilation_handler")}
    made = {"none": [], "land": [], "compilation": [], "survey": []}
    for i in range(30):
        case, _ = make_case(title=f"列表事项{i:02d}")
        code = ("none", "land", "compilation", "survey")[i % 4] if i < 28 else "land"
        if code != "none":
            handling.accept_case(case, actor=office, now=NOW)
            handling.assign_case(case, actor=office, unit_id=unit(code).id, now=NOW)
            if code in handlers and i % 2:
                handling.sign_case(case, actor=handlers[code], now=NOW)
        made[code].append(case)
    handling.request_extension(made["land"][0], actor=staff("land_lead"), days=5,
                               reason="需现场核查", now=NOW)
    unit("survey").active = False
    db.session.commit()
    yield {code: [(c.id, c.number, c.due_on) for c in cases] for code, cases in made.items()}
    unit("survey").active = True  # reference data outlives the test
    db.session.commit()


def page(client, url):
    # The first request fills the worker's copy of the reference data (the set-up changed a
    # unit); the second is what every later request costs.
    assert client.get(url).status_code == 200, url
    db.session.expunge_all()  # nothing cached from the set-up: count what a request loads
    with sql_statements() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True), len(statements)


def row_of(html, number):
    match = re.search(r"<tr class=\"[^\"]*\">\s*<td[^>]*><a [^>]*>" + re.escape(number)
                      + r"</a>.*?</tr>", html, re.S)
    assert match, number
    return match.group(0)


def test_office_lists_cost_a_fixed_number_of_statements(app, thirty_cases):
    office = login(app.test_client(), app, "office")
    land_id = unit("land").id
    board, n = page(office, "/staff/board")
    assert n == LIST_STATEMENTS
    assert board.count('<tr class="') == 30
    assert page(office, "/staff/cases")[1] == LIST_STATEMENTS
    assert page(office, f"/staff/cases?unit={land_id}")[1] == LIST_STATEMENTS
    triage, n = page(office, "/staff/triage")
    assert n == TRIAGE_STATEMENTS
    assert "需现场核查" not in triage and "5 个工作日" in triage


def test_unit_lists_and_deep_pages_cost_the_same(app, thirty_cases):
    lead = login(app.test_client(), app, "land_lead")
    board, n = page(lead, "/staff/board")
    assert n == LIST_STATEMENTS
    assert board.count('<tr class="') == 9  # the land unit's own cases only (case_fence)
    first_id, _number, due_on = thirty_cases["land"][0]
    after = f"{due_on.isoformat()}.{first_id}"
    deep, n = page(lead, f"/staff/cases?after={after}")
    assert n == LIST_STATEMENTS
    assert deep.count('<tr class="') == 8


def test_rows_name_each_cases_unit_even_an_inactive_one(app, thirty_cases):
    office = login(app.test_client(), app, "office")
    board, _ = page(office, "/staff/board")
    cases = thirty_cases
    assert '<td data-label="科室">用地规划科</td>' in row_of(board, cases["land"][0][1])
    assert '<td data-label="科室">规划编制科</td>' in row_of(board, cases["compilation"][1][1])
    assert '<td data-label="科室">测绘管理科</td>' in row_of(board, cases["survey"][0][1])
    assert '<td data-label="科室">—</td>' in row_of(board, cases["none"][0][1])
    case_id, number, due_on = cases["land"][0]
    row = row_of(board, number)
    assert f'<a href="/staff/cases/{case_id}">' in row
    assert '<td data-label="类别">投诉</td>' in row
    assert '<td data-label="渠道">网站信箱</td>' in row
    assert '<td data-label="状态">已签收</td>' in row
    assert f'<td class="deadline" data-label="期限">{due_on.isoformat()}' in row
    assert '<tr class="overdue">' in row and '<strong class="tag overdue">已超期</strong>' in row
    # The inactive unit is not offered in the filter, the active ones are.
    options = re.search(r'<select name="unit">.*?</select>', board, re.S).group(0)
    assert "测绘管理科" not in options and "用地规划科" in options
