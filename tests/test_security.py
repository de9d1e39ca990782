"""Security probes: CSRF on every form, injection in every field people see, SQL injection in
every query input, and bandit over the code."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import Case, db
from portal.services import handling, rating
from tests.appconfig import make_app
from tests.factories import NOW, login, make_case, staff, unit

ROOT = Path(__file__).resolve().parent.parent
XSS = '<script>alert("x")</script>"><img src=x onerror=alert(1)>{{7*7}}${7*7}'
SQLI = ["' OR '1'='1", "1; DROP TABLE \"case\";--", "PY2026' UNION SELECT query_code_hash--",
        "%' OR 1=1 --", "\\'; SELECT pg_sleep(2);--"]


def post_routes(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods:
            url = re.sub(r"<int:\w+>", "1", rule.rule)
            yield re.sub(r"<\w+>", "note", url)


def test_every_post_route_refuses_a_missing_csrf_token(app, ctx):
    guarded = make_app(WTF_CSRF_ENABLED=True)
    anonymous, office = guarded.test_client(), guarded.test_client()
    with office.session_transaction() as session:  # signed in without posting the login form
        session["_user_id"] = staff("office").get_id()
        session["_fresh"] = True
    routes = list(post_routes(guarded))
    assert len(routes) >= 20
    for url in routes:
        for client in (anonymous, office):
            response = client.post(url, data={"text": "x", "reason": "x"})
            assert response.status_code == 400, (url, response.status_code)


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


def test_bandit_finds_nothing(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-r", "app.py", "config.py", "models", "portal",
         "gunicorn.conf.py", "-f", "txt"],
        cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "No issues identified." in result.stdout
