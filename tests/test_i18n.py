"""Simplified Chinese by default, English by a visible switch, every string translated."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def test_chinese_by_default_and_english_by_the_switch(client):
    home = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-Hans">' in home and "我要反映" in home
    assert 'href="/lang/en?next=/"' in home  # the visible switch
    response = client.get("/lang/en?next=/file")
    assert response.status_code == 302 and response.headers["Location"] == "/file"
    form = client.get("/file").get_data(as_text=True)
    assert '<html lang="en">' in form
    assert "Tracking number" not in form and "Submit" in form and "Not sure" in form
    assert "Land-Use Planning Section" in form and "Work style" in form
    errors = client.post("/file", data={"title": "x"}).get_data(as_text=True)
    assert "The title must be 5 to 50 characters." in errors
    client.get("/lang/zh")
    assert "我要反映" in client.get("/").get_data(as_text=True)


def test_language_switch_refuses_foreign_redirects(client):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.get("/lang/en", query_string={"next": target})
        assert response.headers["Location"] == "/"


def test_every_string_has_an_english_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "N_", "-o", str(pot), "app.py", "config.py", "models", "portal",
         "templates"],
        cwd=ROOT, check=True, capture_output=True,
    )
    wanted = {m.id for m in read_po(pot.open("rb")) if m.id}
    with (ROOT / "translations/en/LC_MESSAGES/messages.po").open("rb") as fh:
        catalog = read_po(fh)
    translated = {m.id for m in catalog if m.id and m.string}
    assert sorted(wanted - translated) == []


def test_every_page_renders_in_english(app, ctx):
    from tests.appraisal_helpers import create_questionnaire
    from tests.factories import act, login, make_case, unit

    case, code = make_case()
    office = login(app.test_client(), app, "office")
    act(office, case.id, "accept", unit=unit("land").id)
    _office, q = create_questionnaire(app, office)
    office.get("/lang/en")
    pages = ["/staff/board", "/staff/triage", "/staff/cases", "/staff/cases/new",
             f"/staff/cases/{case.id}", "/staff/ledger", "/staff/reports",
             f"/staff/reports/{unit('land').id}", "/staff/appraisal", f"/staff/appraisal/{q.id}",
             f"/staff/appraisal/{q.id}/results", f"/staff/appraisal/{q.id}/letters",
             "/staff/admin/canned", "/", "/file", "/track", "/q", "/commitments", "/stats"]
    for url in pages:
        response = office.get(url)
        assert response.status_code == 200, url
        assert '<html lang="en">' in response.get_data(as_text=True), url
    page = office.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "Assigned" in page and "Internal note" in page and "Land-Use Planning Section" in page
