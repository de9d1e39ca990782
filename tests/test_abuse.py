"""CSRF, captcha, honeypot and rate limits, switched on as in production."""

import time

import pytest
from itsdangerous import URLSafeTimedSerializer

from models import db
from portal.abuse import captcha
from tests.appconfig import make_app
from tests.factories import count_cases, form_data, hidden_fields


@pytest.fixture
def guarded(app):
    """The app with CSRF, captcha and rate limits on; shares the test database."""
    application = make_app(WTF_CSRF_ENABLED=True, CAPTCHA_ENABLED=True, RATELIMIT_ENABLED=True)
    with application.app_context():
        yield application
        db.session.remove()


def fresh_form(client):
    html = client.get("/file").get_data(as_text=True)
    fields = hidden_fields(html)
    return fields, captcha.peek(fields["captcha_id"])


def test_form_with_token_and_right_captcha_is_accepted(guarded):
    client = guarded.test_client()
    fields, answer = fresh_form(client)
    assert answer and len(answer) == 5
    response = client.post("/file", data=form_data(**fields, captcha=answer.lower()))
    assert response.status_code == 200 and "受理编号" in response.get_data(as_text=True)
    assert count_cases() == 1


def test_missing_csrf_token_re_renders_with_typed_text(guarded):
    client = guarded.test_client()
    fields, answer = fresh_form(client)
    fields.pop("csrf_token")
    data = form_data(**fields, captcha=answer, content="这是一段很长的投诉内容，不能丢。")
    response = client.post("/file", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "页面已过期" in html and "这是一段很长的投诉内容，不能丢。" in html
    assert count_cases() == 0


def test_expired_csrf_token_keeps_what_was_typed(guarded):
    client = guarded.test_client()
    fields, answer = fresh_form(client)
    # Re-sign the same raw token with a timestamp from yesterday.
    with client.session_transaction() as session:
        raw = session["csrf_token"]
    serializer = URLSafeTimedSerializer(guarded.config["SECRET_KEY"], salt="wtf-csrf-token")
    serializer.signer_kwargs = {}
    old = serializer.make_signer(None)
    old.get_timestamp = lambda: int(time.time()) - 86400
    expired = old.sign(serializer.dump_payload(raw)).decode()
    data = form_data(**(fields | {"csrf_token": expired}), captcha=answer, title="已经过期的表单标题")
    response = client.post("/file", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "页面已过期" in html and "已经过期的表单标题" in html
    assert count_cases() == 0
    # The re-rendered form carries a fresh token and captcha, and now goes through.
    again = hidden_fields(html)
    response = client.post("/file", data=form_data(**again, captcha=captcha.peek(again["captcha_id"])))
    assert response.status_code == 200 and count_cases() == 1


def test_csrf_token_from_another_session_is_refused(guarded):
    alice, mallory = guarded.test_client(), guarded.test_client()
    fields, answer = fresh_form(alice)
    mallory.get("/file")
    response = mallory.post("/file", data=form_data(**fields, captcha=answer))
    assert response.status_code == 400 and count_cases() == 0


def test_wrong_captcha_keeps_text_and_issues_a_new_one(guarded):
    client = guarded.test_client()
    fields, answer = fresh_form(client)
    response = client.post("/file", data=form_data(**fields, captcha="ZZZZZ", title="验证码输错的标题"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "验证码不正确或已过期" in html and "验证码输错的标题" in html
    assert hidden_fields(html)["captcha_id"] != fields["captcha_id"]
    assert captcha.peek(fields["captcha_id"]) is None  # the wrong guess burned it


def test_replayed_captcha_is_refused(guarded):
    client = guarded.test_client()
    fields, answer = fresh_form(client)
    first = client.post("/file", data=form_data(**fields, captcha=answer))
    assert first.status_code == 200
    # Same challenge and answer, but a new form key: a second filing, not a double click.
    replay = client.post(
        "/file", data=form_data(**(fields | {"submission_key": "another-key-1234567890"}), captcha=answer)
    )
    assert replay.status_code == 400 and "验证码不正确或已过期" in replay.get_data(as_text=True)
    assert count_cases() == 1


def test_expired_captcha_is_refused(guarded):
    from datetime import timedelta

    from models import utcnow

    challenge = captcha.issue()
    answer = captcha.peek(challenge)
    later = utcnow() + timedelta(seconds=guarded.config["CAPTCHA_TTL_SECONDS"] + 1)
    assert captcha.peek(challenge, now=later) is None
    assert captcha.check(challenge, answer, now=later) is False


def test_captcha_image_and_audio_are_served_uncached(guarded):
    client = guarded.test_client()
    fields, _answer = fresh_form(client)
    image = client.get(f"/captcha/{fields['captcha_id']}.png")
    assert image.status_code == 200 and image.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert image.headers["Cache-Control"] == "no-store"
    audio = client.get(f"/captcha/{fields['captcha_id']}.wav")
    assert audio.status_code == 200 and audio.data[:4] == b"RIFF"
    assert client.get("/captcha/not-a-challenge.png").status_code == 404


def test_answer_is_never_in_the_cookie(guarded):
    client = guarded.test_client()
    fields, answer = fresh_form(client)
    cookie = client.get_cookie("session")
    assert cookie is None or answer not in cookie.value


def test_filing_limit_per_client_address(guarded):
    guarded.config["CAPTCHA_ENABLED"] = False
    guarded.config["WTF_CSRF_ENABLED"] = False
    client = guarded.test_client()
    codes = []
    for i in range(7):
        data = form_data(submission_key=f"limit-key-{i:02d}-abcdefghijk")
        codes.append(client.post("/file", data=data, environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code)
    assert codes == [200] * 5 + [429, 429]
    assert count_cases() == 5
    other = client.post("/file", data=form_data(submission_key="other-client-key-123456"),
                        environ_base={"REMOTE_ADDR": "10.9.9.10"})
    assert other.status_code == 200
    # A spoofed X-Forwarded-For does not reset the count when no proxy is configured.
    spoof = client.post("/file", data=form_data(submission_key="spoofed-key-12345678901"),
                        environ_base={"REMOTE_ADDR": "10.9.9.9"},
                        headers={"X-Forwarded-For": "1.2.3.4"})
    assert spoof.status_code == 429


def test_a_refused_form_view_says_when_to_come_back_and_others_carry_no_limit_headers(guarded):
    guarded.config["FILE_FORM_RATE_LIMIT"] = "2 per minute"
    client = guarded.test_client()
    first = client.get("/file", environ_base={"REMOTE_ADDR": "10.9.8.7"})
    client.get("/file", environ_base={"REMOTE_ADDR": "10.9.8.7"})
    refused = client.get("/file", environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert (first.status_code, refused.status_code) == (200, 429)
    # A moving window of a minute: the first view leaves it within 60 seconds (Flask-Limiter
    # rounds the reset time up by one).
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    assert "操作过于频繁" in refused.text
    assert not [h for h in first.headers.keys() if h.lower().startswith("x-ratelimit")]


def test_a_lookup_without_its_token_shows_the_lookup_form_again_with_the_number(guarded):
    client = guarded.test_client()
    assert client.get("/track").status_code == 200
    response = client.post("/track", data={"number": "PY2026000123", "code": "ABCDEFGH2345"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "页面已过期" in html and 'value="PY2026000123"' in html
    assert 'action="/track"' in html
