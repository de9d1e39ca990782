"""Staff sign-in: hashed passwords, throttling, fresh sessions, real logout, idle timeout."""

import time

import pytest
from sqlalchemy import text

from models import db
from tests.appconfig import make_app
from tests.factories import login, staff
from tests.http_client import hidden


def test_passwords_are_stored_as_scrypt_hashes(app, ctx):
    row = db.session.execute(text("select password_hash from staff_user where username='office'"))
    stored = row.scalar_one()
    assert stored.startswith("scrypt:") and app.config["DEMO_PASSWORDS"]["office"] not in stored


def test_wrong_password_and_unknown_user_look_the_same(app):
    client = app.test_client()
    wrong = client.post("/staff/login", data={"username": "office", "password": "nope-nope"})
    unknown = client.post("/staff/login", data={"username": "nobody", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_data(as_text=True).replace("office", "nobody") == unknown.get_data(as_text=True)
    assert "用户名或密码不正确" in wrong.get_data(as_text=True)


def test_session_is_renewed_at_login(app):
    client = app.test_client()
    client.get("/staff/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, app, "office")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_a_copied_cookie_stops_working_after_logout(app):
    client = login(app.test_client(), app, "land_handler")
    cookie = client.get_cookie("session").value
    assert client.post("/staff/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    response = thief.get("/staff/board")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_a_disabled_account_is_signed_out_at_once(app, ctx):
    client = login(app.test_client(), app, "compilation_handler")
    user = staff("compilation_handler")
    user.active = False
    db.session.commit()
    try:
        assert client.get("/staff/board").status_code == 302
        again = app.test_client().post("/staff/login", data={
            "username": "compilation_handler",
            "password": app.config["DEMO_PASSWORDS"]["compilation_handler"]})
        assert again.status_code == 401
    finally:
        user.active = True
        db.session.commit()


def test_idle_session_times_out(app):
    client = login(app.test_client(), app, "office")
    assert client.get("/staff/board").status_code == 200
    idle = app.config["STAFF_IDLE_TIMEOUT"].total_seconds()
    with client.session_transaction() as session:
        session["seen"] = time.time() - idle - 5
    response = client.get("/staff/board")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    assert client.get("/staff/board").status_code == 302


def test_login_keeps_the_username_after_a_mistake(app):
    response = app.test_client().post("/staff/login", data={"username": "office", "password": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'value="office"' in html and "请填写密码" in html


def test_next_parameter_cannot_leave_the_back_office(app):
    client = app.test_client()
    response = client.post("/staff/login?next=https://evil.example/", data={
        "username": "office", "password": app.config["DEMO_PASSWORDS"]["office"]})
    assert response.headers["Location"] == "/staff/board"


def test_staff_forms_need_the_csrf_token(app, ctx):

    from tests.factories import make_case

    guarded = make_app(WTF_CSRF_ENABLED=True)
    client = guarded.test_client()
    token = hidden(client.get("/staff/login").get_data(as_text=True), "csrf_token")
    no_token = client.post("/staff/login", data={
        "username": "office", "password": app.config["DEMO_PASSWORDS"]["office"]})
    assert no_token.status_code == 400
    client.post("/staff/login", data={
        "csrf_token": token, "username": "office",
        "password": app.config["DEMO_PASSWORDS"]["office"]})
    case, _ = make_case()
    forged = client.post(f"/staff/cases/{case.id}/accept", data={"note": "x"})
    assert forged.status_code == 400
    db.session.refresh(case)
    assert case.status == "submitted"
    page = client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    token = hidden(page, "csrf_token")
    assert client.post(f"/staff/cases/{case.id}/accept",
                       data={"csrf_token": token}).status_code == 302
    assert client.post("/staff/logout").status_code == 400  # logout is a form too


@pytest.mark.parametrize("cookie_id", ["²:token", "9" * 30 + ":token", ":token", "1:", "", None,
                                       "１:token"])
def test_a_malformed_session_user_id_is_signed_out(app, ctx, cookie_id):
    """The id comes from the signed session, so only a key leak could forge it; even then an
    id int() refuses or the database cannot hold is no user, not an error."""
    from models.staff import load_by_cookie_id

    assert load_by_cookie_id(cookie_id) is None
