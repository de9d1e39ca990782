"""Session and configuration hardening: strong session protection uses the address ProxyFix
settles on, the filing form's GET is rate limited, invitation letters take their links from
PORTAL_BASE_URL, and production refuses a SECRET_KEY without entropy."""

import re
import secrets

import pytest

import config
from app import create_app
from models import Questionnaire, db
from portal.staff.appraisal import qr_svg
from tests.appconfig import make_app
from tests.appraisal_helpers import create_questionnaire, invitations
from tests.factories import login

BASE = "https://pingyi.example.gov.cn"


def sign_in(client, app, address):
    response = client.post("/staff/login", environ_base={"REMOTE_ADDR": address}, data={
        "username": "office", "password": app.config["DEMO_PASSWORDS"]["office"]})
    assert response.status_code == 302
    return client


def test_stolen_cookie_with_a_forged_forwarded_for_is_signed_out(app):
    owner = sign_in(app.test_client(), app, "10.1.1.1")
    assert owner.get("/staff/board", environ_base={"REMOTE_ADDR": "10.1.1.1"}).status_code == 200
    thief = app.test_client()
    thief.set_cookie("session", owner.get_cookie("session").value)
    response = thief.get("/staff/board", environ_base={"REMOTE_ADDR": "10.66.6.6"},
                         headers={"X-Forwarded-For": "10.1.1.1"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login")
    # The owner, from her own address, is still signed in.
    assert owner.get("/staff/board", environ_base={"REMOTE_ADDR": "10.1.1.1"}).status_code == 200


def test_behind_a_proxy_the_address_the_proxy_saw_counts(app):
    proxied = make_app(PROXY_FIX_X_FOR=1)
    via_proxy = {"REMOTE_ADDR": "127.0.0.1"}
    owner = proxied.test_client()
    response = owner.post("/staff/login", environ_base=via_proxy,
                          headers={"X-Forwarded-For": "10.1.1.1"},
                          data={"username": "office",
                                "password": app.config["DEMO_PASSWORDS"]["office"]})
    assert response.status_code == 302
    page = owner.get("/staff/board", environ_base=via_proxy,
                     headers={"X-Forwarded-For": "10.1.1.1"})
    assert page.status_code == 200
    thief = proxied.test_client()
    thief.set_cookie("session", owner.get_cookie("session").value)
    # The thief forges the first entry; the proxy appends the address it really saw.
    stolen = thief.get("/staff/board", environ_base=via_proxy,
                       headers={"X-Forwarded-For": "10.1.1.1, 10.66.6.6"})
    assert stolen.status_code == 302 and stolen.headers["Location"].startswith("/staff/login")


def test_the_filing_form_is_rate_limited_per_address(app):
    guarded = make_app(RATELIMIT_ENABLED=True, CAPTCHA_ENABLED=True)
    assert guarded.config["FILE_FORM_RATE_LIMIT"] == "60 per minute"
    with guarded.app_context():
        client = guarded.test_client()
        statuses = [client.get("/file", environ_base={"REMOTE_ADDR": "10.3.0.1"}).status_code
                    for _ in range(61)]
        assert statuses == [200] * 60 + [429]
        other = client.get("/file", environ_base={"REMOTE_ADDR": "10.3.0.2"})
        assert other.status_code == 200
        db.session.remove()


def test_invitation_letters_take_links_from_portal_base_url_not_the_host(app, ctx):
    portal = make_app(PORTAL_BASE_URL=BASE + "/")
    office, q = create_questionnaire(portal, office=login(portal.test_client(), app, "office"),
                                     public=True)
    office.post(f"/staff/appraisal/{q.id}/invite",
                data={"name": "赵一", "group": "representative", "organisation": "人大"})
    invitation = invitations(q)[0]
    forged = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    office.set_cookie("session", office.get_cookie("session").value, domain="evil.example")
    page = office.get(f"/staff/appraisal/{q.id}/letters", headers=forged)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    answer_url = f"{BASE}/q/{invitation.token}"
    assert f"{BASE}/q" in html
    assert str(qr_svg(answer_url)) in html  # the QR code encodes the configured address
    assert "evil.example" not in html
    assert set(re.findall(r"https?://[^\s<\"]+", html)) <= {f"{BASE}/q", "http://www.w3.org/2000/svg"}
    detail = office.get(f"/staff/appraisal/{q.id}", headers=forged).get_data(as_text=True)
    public = db.session.get(Questionnaire, q.id).public_token
    assert f"{BASE}/q/open/{public}" in detail and "evil.example" not in detail


def production(secret):
    return type("Prod", (config.ProductionConfig,), {
        "SECRET_KEY": secret, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


WEAK_KEY = ("Production needs SECRET_KEY: a random value of 32 characters or more, e.g. "
            "python -c 'import secrets; print(secrets.token_hex(32))'")


@pytest.mark.parametrize("secret", [
    None, "", "short", "dev-only-not-secret", "x" * 32, "x" * 64, "ab" * 16,
    "0123456789abcdef" * 2, "change-me" * 4, "a" * 16 + "b" * 16,
    "abcdefghijklmnopqrstuvwxyz012345", "0123456789" * 4, "qwertyuiop" * 4,
])
def test_production_refuses_a_key_without_entropy(secret):
    with pytest.raises(RuntimeError) as refused:
        create_app(production(secret))
    assert str(refused.value) == WEAK_KEY


@pytest.mark.parametrize("secret", [
    "k3Jd9-qLx0PzT7vWmA2sYc8RbN4eHuGf",  # 32 characters, mixed
    "6f1c0e9b2a7d48e3b5c1f0a9d8e7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9",
])
def test_production_accepts_random_keys(secret):
    assert create_app(production(secret)).config["SECRET_KEY"] == secret


def test_production_accepts_every_generated_key():
    for _ in range(300):
        for secret in (secrets.token_hex(32), secrets.token_urlsafe(32), secrets.token_hex(16)):
            assert config.weak_secret(secret) is False, secret
