"""A captcha challenge belongs to the browser session that got it: the right answer typed in
another browser is refused, on Redis, on the database store, and on the database fallback."""

import pytest

from models import CaptchaChallenge, db
from portal.abuse import captcha
from tests.appconfig import empty_redis, make_app, redis_test_url
from tests.factories import count_cases, form_data, hidden_fields

REDIS_URL = redis_test_url(1)
STORES = {"redis": REDIS_URL, "database": None, "redis-down": "redis://127.0.0.1:1/0"}


@pytest.fixture(params=sorted(STORES))
def portal(request, app):
    if request.param == "redis":
        empty_redis(REDIS_URL)
    application = make_app(CAPTCHA_ENABLED=True, REDIS_URL=STORES[request.param])
    with application.app_context():
        yield application, request.param
        db.session.remove()


def challenge_of(client):
    fields = hidden_fields(client.get("/file").get_data(as_text=True))
    return fields, captcha.peek(fields["captcha_id"])


def test_right_answer_from_another_browser_is_refused(portal):
    application, store = portal
    alice, mallory = application.test_client(), application.test_client()
    fields, answer = challenge_of(alice)
    assert answer and len(answer) == 5
    mallory.get("/file")  # a session of her own
    stolen = mallory.post("/file", data=form_data(**fields, captcha=answer))
    assert stolen.status_code == 400
    assert "验证码不正确或已过期" in stolen.get_data(as_text=True)
    assert count_cases() == 0
    # The owner of the session still gets through with a challenge of her own.
    fields, answer = challenge_of(alice)
    ok = alice.post("/file", data=form_data(**fields, captcha=answer))
    assert ok.status_code == 200 and count_cases() == 1


def test_the_store_keeps_a_hash_of_the_session_not_the_session_id(portal):
    application, store = portal
    alice = application.test_client()
    fields, answer = challenge_of(alice)
    with alice.session_transaction() as session:
        session_id = session["captcha_sid"]
    if store == "redis":
        tag = empty_redis_client().get(f"pingyi:captcha-session:{fields['captcha_id']}").decode()
    else:
        tag = db.session.get(CaptchaChallenge, fields["captcha_id"]).session_tag
    assert tag == captcha.session_tag(session_id) and session_id not in tag and len(tag) == 64


def empty_redis_client():
    import redis

    return redis.Redis.from_url(REDIS_URL)


def test_a_challenge_issued_outside_any_request_is_not_answerable_from_a_browser(portal):
    application, _store = portal
    challenge = captcha.issue()
    answer = captcha.peek(challenge)
    client = application.test_client()
    client.get("/file")
    data = form_data(captcha_id=challenge, captcha=answer)
    assert client.post("/file", data=data).status_code == 400
