"""Signed values made with kept serializers and derived keys (portal/web/signing.py) are the
ones Flask and Flask-WTF make: each side reads what the other wrote, and a new key signs at once."""

import pytest
from flask import g, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import validate_csrf
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import ValidationError

from portal.web import signing
from tests.appconfig import make_app

KEY_A, KEY_B = "a" * 40, "b" * 40


def _app(**config):
    return make_app(WTF_CSRF_ENABLED=True, SECRET_KEY=KEY_A, **config)


def test_a_csrf_token_is_flask_wtfs_own_and_kept_for_the_request():
    app = _app()
    with app.test_request_context("/file"):
        token = signing.csrf_token()
        raw = session["csrf_token"]
        assert len(raw) == 40 and g.csrf_token == token
        assert signing.csrf_token() == token  # the same token for the whole request
        validate_csrf(token)  # Flask-WTF's own check accepts it
        stock = URLSafeTimedSerializer(KEY_A, salt="wtf-csrf-token")
        assert stock.loads(token) == raw
        with pytest.raises(BadSignature):
            URLSafeTimedSerializer(KEY_B, salt="wtf-csrf-token").loads(token)


def test_a_csrf_token_follows_its_own_secret_and_a_changed_key():
    app = _app(WTF_CSRF_SECRET_KEY=KEY_B)
    with app.test_request_context("/file"):
        token = signing.csrf_token()
        assert URLSafeTimedSerializer(KEY_B, salt="wtf-csrf-token").loads(token) == session[
            "csrf_token"]
    app.config["WTF_CSRF_SECRET_KEY"] = "c" * 40
    with app.test_request_context("/file"):
        token = signing.csrf_token()
        with pytest.raises(BadSignature):
            URLSafeTimedSerializer(KEY_B, salt="wtf-csrf-token").loads(token)
        validate_csrf(token)


def test_a_session_value_that_is_not_a_token_is_replaced():
    app = _app()
    with app.test_request_context("/file"):
        session["csrf_token"] = ["not", "a", "token"]
        token = signing.csrf_token()
        assert isinstance(session["csrf_token"], str) and len(session["csrf_token"]) == 40
        validate_csrf(token)
        with pytest.raises(ValidationError):
            validate_csrf(token + "x")


def test_the_session_cookie_reads_both_ways_with_flasks_own_interface():
    ours = _app()
    client = ours.test_client()
    client.get("/lang/en")
    cookie = client.get_cookie("session").value
    stock = SecureCookieSessionInterface().get_signing_serializer(ours)
    assert stock.loads(cookie)["lang"] == "en"
    written = stock.dumps({"lang": "en"})
    fresh = ours.test_client()
    fresh.set_cookie("session", written)
    assert '<html lang="en">' in fresh.get("/").text


def test_derived_keys_differ_by_key_and_salt():
    a = signing.KeptKeySigner(KEY_A, salt="one").derive_key()
    assert a == signing.KeptKeySigner(KEY_A, salt="one").derive_key()
    assert a != signing.KeptKeySigner(KEY_B, salt="one").derive_key()
    assert a != signing.KeptKeySigner(KEY_A, salt="two").derive_key()
    from itsdangerous import TimestampSigner
    assert a == TimestampSigner(KEY_A, salt="one").derive_key()
