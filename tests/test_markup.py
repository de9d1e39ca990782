"""Markup that assistive technology reads: no attribute rendered as "None", no element id used
twice on a page, on every page of the public and of each kind of staff, with data on them."""

import re
from collections import Counter

from tests.crawler import crawl
from tests.factories import login
from tests.test_english_pages import make_data

ID = re.compile(r'\sid="([^"]*)"')
NONE_ATTRIBUTE = re.compile(r'\s[\w-]+="None"')


def problems_of(html):
    found = [m.group(0).strip() for m in NONE_ATTRIBUTE.finditer(html)]
    found += [f'id="{i}" x{n}' for i, n in Counter(ID.findall(html)).items() if n > 1]
    return found


def test_the_helper_sees_both_faults():
    assert problems_of('<input aria-invalid="None" id="a"><p id="a">') == [
        'aria-invalid="None"', 'id="a" x2']


def test_no_page_has_none_attributes_or_repeated_ids(app, ctx):
    data = make_data(app)
    found = {}

    def check(url, html):
        if problems := problems_of(html):
            found[url] = problems

    citizen = app.test_client()
    citizen.post("/track", data={"number": data["unrated"].number, "code": data["unrated_code"]})
    crawl(citizen, ["/", "/file", "/track", "/q", f"/track/{data['unrated'].number}",
                    f"/q/{data['unused'].token}", f"/q/open/{data['q'].public_token}"], check)
    for url, form in (("/file", {"title": "x"}), ("/track", {"number": "PY1"}),
                      (f"/q/{data['unused'].token}", {})):
        check(f"POST {url}", citizen.post(url, data=form).get_data(as_text=True))
    for username in ("office", "land_lead", "land_handler", "admin"):
        client = login(app.test_client(), app, username)
        crawl(client, ["/staff/board"], check)
        case_page = f"/staff/cases/{data['unrated'].id}"
        check(f"POST {case_page}/note", client.post(f"{case_page}/note", data={}).get_data(
            as_text=True))
    assert found == {}
