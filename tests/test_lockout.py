"""Strangers' wrong guesses never lock the owner out: failures are refused (429) per client
address only; past a few failures for one case number or one staff account, the form asks for a
captcha, and the owner who solves it gets in with the right code or password."""

import pytest

from models import db
from portal.abuse import captcha
from portal.extensions import limiter
from tests.appconfig import make_app
from tests.factories import hidden_fields, make_case

LOOKUP_ASKS = "该受理编号近期查询失败较多，为保护您的信息，请先输入验证码。"
LOGIN_ASKS = "该账号近期登录失败较多，请先输入验证码。"
WRONG_CAPTCHA = "验证码不正确或已过期，请输入新图片中的字符。"


@pytest.fixture
def guarded(app):
    application = make_app(RATELIMIT_ENABLED=True, CAPTCHA_ENABLED=True)
    # Case numbers start again in every test: counters of an earlier test must not carry over.
    limiter.reset()
    with application.app_context():
        yield application
        db.session.remove()


def at(address):
    return {"REMOTE_ADDR": address}


def track(client, number, code, address, **extra):
    return client.post("/track", data={"number": number, "code": code, **extra},
                       environ_base=at(address))


def test_ten_strangers_do_not_lock_the_owner_out_of_a_number(guarded):
    case, code = make_case()
    strangers = [track(guarded.test_client(), case.number, f"WRONG{i:07d}", f"10.8.0.{i}")
                 for i in range(10)]
    assert [r.status_code for r in strangers] == [404] * 10
    # The tenth failure's page already carries the captcha.
    assert 'name="captcha_id"' in strangers[-1].get_data(as_text=True)

    owner = guarded.test_client()
    asked = track(owner, case.number, code, "10.8.1.1")
    html = asked.get_data(as_text=True)
    assert asked.status_code == 400
    assert LOOKUP_ASKS in html
    assert f'value="{case.number}"' in html and f'value="{code}"' in html  # kept as typed
    challenge = hidden_fields(html)["captcha_id"]
    answer = captcha.peek(challenge)
    solved = track(owner, case.number, code, "10.8.1.1", captcha_id=challenge, captcha=answer)
    assert solved.status_code == 302
    assert solved.headers["Location"] == f"/track/{case.number}"
    status = owner.get(f"/track/{case.number}", environ_base=at("10.8.1.1"))
    assert status.status_code == 200 and case.number in status.get_data(as_text=True)
    assert "查询码" not in status.get_data(as_text=True).split("<main")[1][:200]


def test_a_wrong_captcha_is_asked_again_and_a_solved_one_with_a_wrong_code_is_a_failure(guarded):
    case, code = make_case()
    for i in range(10):
        track(guarded.test_client(), case.number, f"WRONG{i:07d}", f"10.8.2.{i}")
    client = guarded.test_client()
    html = track(client, case.number, "WRONGCODE99", "10.8.3.1").get_data(as_text=True)
    first = hidden_fields(html)["captcha_id"]
    wrong = track(client, case.number, code, "10.8.3.1", captcha_id=first, captcha="ZZZZZ")
    assert wrong.status_code == 400 and WRONG_CAPTCHA in wrong.get_data(as_text=True)
    second = hidden_fields(wrong.get_data(as_text=True))["captcha_id"]
    assert second != first
    guessed = track(client, case.number, "WRONGCODE98", "10.8.3.1", captcha_id=second,
                    captcha=captcha.peek(second))
    assert guessed.status_code == 404 and "受理编号或查询码不正确" in guessed.get_data(as_text=True)


def test_one_address_with_twenty_failures_gets_429(guarded):
    client = guarded.test_client()
    statuses = [track(client, f"PY2026{i:06d}", "WRONGCODE12", "10.7.0.1").status_code
                for i in range(21)]
    assert statuses == [404] * 20 + [429]
    # Another address is not affected.
    assert track(client, "PY2026000001", "WRONGCODE12", "10.7.0.2").status_code == 404


def test_unsolved_captcha_prompts_count_against_the_address(guarded):
    case, _code = make_case()
    client = guarded.test_client()
    statuses = [track(client, case.number, f"WRONG{i:07d}", "10.7.1.1").status_code
                for i in range(21)]
    assert statuses == [404] * 10 + [400] * 10 + [429]


def sign_in(client, address, password, **extra):
    return client.post("/staff/login", data={"username": "land_lead", "password": password,
                                             **extra}, environ_base=at(address))


def test_twenty_wrong_passwords_do_not_lock_the_owner_out(guarded, app):
    statuses = [sign_in(guarded.test_client(), f"10.5.{i}.1", f"guess-{i}").status_code
                for i in range(20)]
    assert statuses == [401] * 10 + [400] * 10
    owner = guarded.test_client()
    password = app.config["DEMO_PASSWORDS"]["land_lead"]
    asked = sign_in(owner, "10.5.99.1", password)
    html = asked.get_data(as_text=True)
    assert asked.status_code == 400
    assert LOGIN_ASKS in html and 'value="land_lead"' in html
    challenge = hidden_fields(html)["captcha_id"]
    solved = sign_in(owner, "10.5.99.1", password, captcha_id=challenge,
                     captcha=captcha.peek(challenge))
    assert solved.status_code == 302 and solved.headers["Location"] == "/staff/board"
    assert owner.get("/staff/board", environ_base=at("10.5.99.1")).status_code == 200


def test_a_solved_captcha_does_not_make_a_wrong_password_right(guarded):
    for i in range(10):
        sign_in(guarded.test_client(), f"10.5.{i}.2", f"guess-{i}")
    client = guarded.test_client()
    html = sign_in(client, "10.5.50.2", "guess-x").get_data(as_text=True)
    challenge = hidden_fields(html)["captcha_id"]
    wrong = sign_in(client, "10.5.50.2", "guess-y", captcha_id=challenge,
                    captcha=captcha.peek(challenge))
    assert wrong.status_code == 401 and "用户名或密码不正确" in wrong.get_data(as_text=True)
    assert 'name="captcha_id"' in wrong.get_data(as_text=True)


def test_one_address_with_ten_failed_logins_gets_429(guarded):
    client = guarded.test_client()
    statuses = [client.post("/staff/login", data={"username": f"user{i}", "password": "x"},
                            environ_base=at("10.4.0.1")).status_code for i in range(11)]
    assert statuses == [401] * 10 + [429]


def test_successful_logins_from_one_office_address_are_not_limited(guarded, app):
    password = app.config["DEMO_PASSWORDS"]["office"]
    statuses = [guarded.test_client().post(
        "/staff/login", data={"username": "office", "password": password},
        environ_base=at("10.4.1.1")).status_code for _ in range(12)]
    assert statuses == [302] * 12
