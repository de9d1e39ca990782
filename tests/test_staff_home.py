"""The staff home (工作台): counts per status and per unit, each a link to the list that shows
exactly the cases it counts."""

import re
from datetime import timedelta

import pytest

from models import Status, db, utcnow
from portal.services import handling
from portal.services.clock import local_date
from tests.factories import login, make_case, staff, unit
from tests.test_board import drive

ROW = re.compile(r'class="mono"><a href="/staff/cases/\d+">(PY\d+)</a>')


def _case(status, title, due_in=30):
    """A case in ``status`` due ``due_in`` days from the real today (the pages count as of now)."""
    case, _ = make_case(title=title)
    drive(case, status)
    case.due_on = local_date(utcnow()) + timedelta(days=due_in)
    db.session.commit()
    return case


@pytest.fixture
def workload(app, ctx):
    """Two to accept, one to assign, land cases overdue, due tomorrow and escalated, a draft to
    approve, a reply to release and an extension request."""
    made = {
        "submitted": [_case(Status.SUBMITTED, "待受理一"), _case(Status.SUBMITTED, "待受理二")],
        "accepted": [_case(Status.ACCEPTED, "待交办事项")],
        "overdue": [_case(Status.ASSIGNED, "超期两天的事项", due_in=-2)],
        "escalated": [_case(Status.SIGNED, "超期一月的事项", due_in=-30)],
        "soon": [_case(Status.ASSIGNED, "明天到期的事项", due_in=1)],
        "drafted": [_case(Status.REPLY_DRAFTED, "答复待审的事项")],
        "approved": [_case(Status.REPLY_APPROVED, "答复待发的事项")],
    }
    asked = made["escalated"][0]
    handling.request_extension(asked, actor=staff("land_lead"), days=3, reason="需要勘查",
                               now=utcnow())
    return made


def _tile(html, name):
    match = re.search(rf'<a id="tile-{name}" href="([^"]+)"><strong>(\d+)</strong>', html)
    return match.group(1).replace("&amp;", "&"), int(match.group(2))


def _listed(client, url):
    return sorted(ROW.findall(client.get(url).get_data(as_text=True)))


def _numbers(cases):
    return sorted(c.number for c in cases)


def test_each_tile_counts_and_links_to_exactly_its_cases(app, workload):
    office = login(app.test_client(), app, "office")
    page = office.get("/staff/home")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    expected = {
        "submitted": workload["submitted"],
        "accepted": workload["accepted"],
        "returned": [],
        "reply_drafted": workload["drafted"],
        "reply_approved": workload["approved"],
        "overdue": workload["overdue"] + workload["escalated"],
        "due-soon": workload["soon"],
        "extensions": workload["escalated"],
        "escalated": workload["escalated"],
    }
    for name, cases in expected.items():
        url, count = _tile(html, name)
        assert count == len(cases), name
        assert _listed(office, url) == _numbers(cases), (name, url)
    assert _tile(html, "escalated")[0] == "/staff/escalations"
    assert _tile(html, "overdue")[0] == "/staff/board?due=overdue"


def test_per_unit_counts_link_to_the_unit_s_filtered_board(app, workload):
    office = login(app.test_client(), app, "office")
    html = office.get("/staff/home").get_data(as_text=True)
    land = unit("land").id
    row = re.search(r'<th scope="row">用地规划科</th>(.*?)</tr>', html, re.S).group(1)
    links = re.findall(r'<a href="([^"]+)">(\d+)</a>', row)
    assert [int(n) for _url, n in links] == [5, 1, 2]  # unanswered, due soon, overdue
    assert [url.replace("&amp;", "&") for url, _n in links] == [
        f"/staff/board?unit={land}", f"/staff/board?unit={land}&due=soon",
        f"/staff/board?unit={land}&due=overdue"]
    for url, count in links:
        assert len(_listed(office, url.replace("&amp;", "&"))) == int(count)


def test_unit_staff_see_only_their_unit_s_counts(app, workload):
    other = login(app.test_client(), app, "compilation_lead")
    html = other.get("/staff/home").get_data(as_text=True)
    assert _tile(html, "overdue")[1] == 0 and _tile(html, "submitted")[1] == 0
    assert "用地规划科" not in html.split("<h2>")[1]
    land = login(app.test_client(), app, "land_lead")
    html = land.get("/staff/home").get_data(as_text=True)
    assert _tile(html, "overdue")[1] == 2 and _tile(html, "extensions")[1] == 1
    # The escalation list is not theirs: the tile goes to their own filtered board instead.
    assert _tile(html, "escalated") == ("/staff/board?due=escalated", 1)


def test_the_staff_index_opens_the_home_and_bad_windows_are_named(app, ctx):
    office = login(app.test_client(), app, "office")
    assert office.get("/staff/").headers["Location"] == "/staff/home"
    bad = office.get("/staff/board?due=%3Cscript%3E&extension=maybe")
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200
    assert "以下筛选条件无效，已忽略：due、extension" in html and "<script>" not in html
