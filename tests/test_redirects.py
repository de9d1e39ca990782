"""The language switch and the staff login follow ``next`` only to a path on this site, whatever
the encoding: anything a browser could read as another host goes to the safe default."""

import pytest

# Each of these, followed by a browser, could leave the site (or is not a plain local path).
HOSTILE = [
    "//evil.example",
    "///evil.example",
    "////evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    "/\x00/evil.example",
    "/%09/evil.example",
    "/%0d%0a/evil.example",
    "/%2Fevil.example",
    "/%2f%2fevil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%255Cevil.example",
    "/%252F%252Fevil.example",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " /\\evil.example",
    "／／evil.example",
    "/／evil.example",
    "/＼evil.example",
    "/\u2028/evil.example",
    "/\u200b/evil.example",
    "evil.example",
    "",
    "/" + "a" * 3000,
]


@pytest.mark.parametrize("target", HOSTILE)
def test_language_switch_refuses_hostile_next(client, target):
    response = client.get("/lang/en", query_string={"next": target})
    if "\x00" in target:  # refused before any view by the address guard (portal/web/pathguard.py)
        assert (response.status_code, response.headers.get("Location")) == (400, None)
        return
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_the_reported_probe_goes_home(client):
    response = client.get("/lang/en?next=/%09/evil.example")
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/track?x=1", "/track", "/file", "/q/open/abc?lang=en&x=%2F",
                                    "/staff/cases?status=open&q=a%20b"])
def test_language_switch_keeps_local_paths(client, target):
    response = client.get("/lang/en", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == target
    with client.session_transaction() as session:
        assert session["lang"] == "en"


def _login(client, app, target):
    return client.post("/staff/login", query_string={"next": target}, data={
        "username": "office", "password": app.config["DEMO_PASSWORDS"]["office"]})


@pytest.mark.parametrize("target", HOSTILE + ["/track?x=1", "/staffevil", "/staff/../file"])
def test_login_refuses_hostile_or_public_next(app, target):
    response = _login(app.test_client(), app, target)
    if "\x00" in target:  # refused before any view by the address guard (portal/web/pathguard.py)
        assert (response.status_code, response.headers.get("Location")) == (400, None)
        return
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/board"


@pytest.mark.parametrize("target", ["/staff/cases?status=open", "/staff/board", "/staff",
                                    "/staff/appraisal/3/letters"])
def test_login_keeps_back_office_paths(app, target):
    response = _login(app.test_client(), app, target)
    assert response.headers["Location"] == target
