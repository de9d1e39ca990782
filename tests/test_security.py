"""Security probes: CSRF on every form, injection in every field people see, SQL injection in
every query input, and bandit over the code."""

import re
import subprocess
import sys
import time
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import Case, db
from portal.services import handling, rating
from tests.appconfig import make_app
from tests.factories import NOW, login, make_case, staff, unit
from tests.http_client import hidden

ROOT = Path(__file__).resolve().parent.parent
XSS = '<script>alert("x")</script>"><img src=x onerror=alert(1)>{{7*7}}${7*7}'
SQLI = ["' OR '1'='1", "1; DROP TABLE \"case\";--", "PY2026' UNION SELECT query_code_hash--",
        "%' OR 1=1 --", "\\'; SELECT pg_sleep(2);--"]
SLEEP_SECONDS = 3
# Payloads written out with the 3 seconds in them; each answer must come back sooner.
SLEEPS = ["'||pg_sleep(3)--", "1);SELECT pg_sleep(3);--", "' AND 1=(SELECT 1 FROM pg_sleep(3))--"]
# Written out here, not read from the code: what a refused token must say.
STAFF_CSRF = "页面已过期或来源不明，请刷新页面后重试。"
PUBLIC_CSRF = "页面已过期，请检查后再次提交。如有附件，请重新选择。"


def post_routes(app):
    """Every POST route in the url map, with sample values in its placeholders; but the
    Open311 API's, which have no browser session and need a partner key instead of a token
    (CSRF-exempt by design; tests/test_open311.py files with CSRF on)."""
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and not rule.endpoint.startswith("open311."):
            url = re.sub(r"<int:\w+>", "1", rule.rule)
            yield rule.endpoint, re.sub(r"<\w+>", "note", url)


def csrf_token(html):
    token = hidden(html, "csrf_token")
    assert token, "no CSRF token on the page"
    return token


def signed_in(app, username, passwords):
    """A client signed in through the login form itself, CSRF token and all."""
    client = app.test_client()
    token = csrf_token(client.get("/staff/login").get_data(as_text=True))
    response = client.post("/staff/login", data={
        "csrf_token": token, "username": username,
        "password": passwords[username]})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    board = client.get("/staff/board")
    assert board.status_code == 200 and staff(username).name in board.get_data(as_text=True)
    return client


def test_every_post_route_refuses_a_missing_or_forged_csrf_token(app, ctx):
    guarded = make_app(WTF_CSRF_ENABLED=True)
    anonymous, office = guarded.test_client(), signed_in(guarded, "office", app.config["DEMO_PASSWORDS"])
    routes = list(post_routes(guarded))
    urls = [url for _endpoint, url in routes]
    assert len(routes) >= 20
    assert {"/track", "/q", "/q/note", "/q/open/note", "/track/note/rate", "/file"} <= set(urls)
    for endpoint, url in routes:
        expected = PUBLIC_CSRF if endpoint.startswith("public.") else STAFF_CSRF
        for client in (anonymous, office):
            for token in ({}, {"csrf_token": "forged"}):
                response = client.post(url, data={"text": "x", "reason": "x", **token})
                html = unescape(response.get_data(as_text=True))
                assert response.status_code == 400, (url, response.status_code)
                assert expected in html, (url, token, html[:300])
    # The refusals changed nothing: the office is still signed in.
    board = office.get("/staff/board")
    assert board.status_code == 200 and staff("office").name in board.get_data(as_text=True)


def shown_everywhere(app, probe):
    """Put ``probe`` in every text a citizen or a member of staff can type, then return every
    page where those texts are shown."""
    case, code = make_case(title=("标题" + probe)[:50], content=probe, name=probe[:50],
                           email="", address=probe[:200])
    office, handler, lead = staff("office"), staff("land_handler"), staff("land_lead")
    handling.accept_case(case, actor=office, unit_id=unit("land").id, note=probe, now=NOW)
    handling.add_note(case, actor=office, text=probe, now=NOW)
    handling.sign_case(case, actor=handler, now=NOW)
    handling.request_extension(case, actor=lead, days=3, reason=probe, now=NOW)
    handling.decide_extension(case, actor=office, approve=True, now=NOW)
    handling.start_case(case, actor=handler, now=NOW)
    handling.submit_reply(case, actor=handler, body_html=f"<p>{probe}</p>", now=NOW)
    handling.approve_reply(case, actor=lead, now=NOW)
    handling.release_reply(case, actor=office, now=NOW)
    rating.rate_case(case, value="unsatisfied", reason=probe, now=NOW)
    refused, refused_code = make_case()
    handling.refuse_case(refused, actor=office, reason=probe, now=NOW)
    citizen = app.test_client()
    citizen.post("/track", data={"number": case.number, "code": code})
    citizen.post("/track", data={"number": refused.number, "code": refused_code})
    staff_client = login(app.test_client(), app, "office")
    pages = [
        citizen.get(f"/track/{case.number}"), citizen.get(f"/track/{refused.number}"),
        staff_client.get(f"/staff/cases/{case.id}"), staff_client.get("/staff/board"),
        staff_client.get("/staff/cases"), staff_client.get("/staff/triage"),
    ]
    return [p.get_data(as_text=True) for p in pages]


def test_injected_markup_is_shown_as_text_everywhere(app, ctx):
    for html in shown_everywhere(app, XSS):
        body = html.split("<body>", 1)[1]
        assert '<script>alert("x")</script>' not in body
        assert "<img src=x" not in body and "onerror=alert" not in body.replace(
            "onerror=alert(1)&gt;", "")
        assert ">49<" not in body and " 49 " not in body
    staff_page = shown_everywhere(app, XSS)[2]
    assert "&lt;script&gt;" in staff_page and "{{7*7}}" in staff_page


@pytest.mark.parametrize("payload", SQLI)
def test_sql_injection_probes_change_nothing(app, ctx, payload):
    make_case()
    office = login(app.test_client(), app, "office")
    before = db.session.scalar(select(func.count()).select_from(Case))
    citizen = app.test_client()
    assert citizen.post("/track", data={"number": payload, "code": payload}).status_code in (
        400, 404)
    assert citizen.post("/q", data={"code": payload}).status_code in (400, 404)
    assert app.test_client().post("/staff/login", data={
        "username": payload, "password": payload}).status_code in (400, 401)
    for arg in ("unit", "kind", "channel", "status", "topic", "from", "to", "after"):
        response = office.get("/staff/cases", query_string={arg: payload})
        assert response.status_code == 200
    assert office.get("/staff/cases.csv", query_string={"kind": payload}).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Case)) == before


def probes(payload):
    """Every query input a visitor or the office can reach, as (client name, method, url, data)."""
    yield "citizen", "post", "/track", {"number": payload, "code": payload}
    yield "citizen", "get", "/track", {"number": payload}
    yield "citizen", "post", "/q", {"code": payload}
    yield "citizen", "get", f"/track/{payload}", None
    yield "citizen", "get", f"/q/{payload}", None
    yield "citizen", "get", f"/q/open/{payload}", None
    yield "stranger", "post", "/staff/login", {"username": payload, "password": payload}
    for arg in ("unit", "kind", "channel", "status", "topic", "from", "to", "after", "q"):
        yield "office", "get", "/staff/cases", {arg: payload}
    yield "office", "get", "/staff/cases.csv", {"kind": payload}


@pytest.mark.parametrize("payload", SLEEPS)
def test_a_pg_sleep_payload_does_not_delay_any_answer(app, ctx, payload):
    make_case()
    clients = {"citizen": app.test_client(), "stranger": app.test_client(),
               "office": login(app.test_client(), app, "office")}
    for name, method, url, data in probes(payload):
        client = clients[name]
        started = time.monotonic()
        if method == "post":
            response = client.post(url, data=data)
        else:
            response = client.get(url, query_string=data)
        elapsed = time.monotonic() - started
        assert response.status_code < 500, (url, data, response.status_code)
        assert elapsed < SLEEP_SECONDS, (url, data, elapsed)


def test_bandit_finds_nothing(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-r", "app.py", "config.py", "models", "portal",
         "gunicorn.conf.py", "-f", "txt"],
        cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "No issues identified." in result.stdout
