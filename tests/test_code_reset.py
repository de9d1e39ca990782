"""忘记查询码: a new code mailed to the address given at filing (real SMTP), the old one dead at
once, the same answer whether or not the pair matched, limits per client, number and e-mail
address counted in Redis, and the captcha."""

import re

import pytest
from sqlalchemy import select

from models import OutboxMessage, db
from portal.services import intake, mail
from tests.appconfig import make_app, redis_fixture, redis_test_url
from tests.factories import NOW, make_case
from tests.test_mail import Inbox, serve_smtp

REDIS_URL = redis_test_url(0)
redis_client = redis_fixture(REDIS_URL)
SAME_ANSWER = "如果受理编号和电子邮箱与提交时填写的一致，新的查询码已发送到该邮箱"


@pytest.fixture
def fresh_redis(redis_client):
    """Emptied before each test: case numbers repeat from test to test, their counts must not."""
    redis_client.flushdb()
    return redis_client


@pytest.fixture
def smtp(app):
    yield from serve_smtp(app, Inbox())


def ask(client, number, email, **extra):
    return client.post("/track/forgot", data={"number": number, "email": email, **extra},
                       environ_base={"REMOTE_ADDR": extra.pop("addr", "10.5.0.1")})


def outbox():
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_a_matching_pair_gets_a_new_code_by_mail_and_the_old_one_stops(ctx, client, smtp):
    case, old_code = make_case(email="ZhangSan@Example.com")
    response = ask(client, case.number.lower(), " zhangsan@example.com ")
    assert response.status_code == 200
    assert SAME_ANSWER in response.get_data(as_text=True)
    mail.send_pending(now=NOW)
    [message] = smtp.messages
    assert message["To"] == "ZhangSan@Example.com"
    body = message.get_payload(decode=True).decode()
    new_code = re.search(r"新的查询码：([A-Z2-9]{12})", body).group(1)
    assert new_code != old_code
    assert intake.verify_lookup(case.number, old_code) is None
    assert intake.verify_lookup(case.number, new_code).id == case.id
    assert client.post("/track", data={"number": case.number, "code": old_code}).status_code == 404
    assert client.post("/track", data={"number": case.number, "code": new_code}).status_code == 302
    db.session.expire_all()
    assert [e.action for e in db.session.get(type(case), case.id).events] == [
        "submitted", "code_reissued"]
    assert new_code not in str([e.note for e in case.events])


def test_the_answer_is_the_same_whether_or_not_the_pair_matched(ctx, client):
    case, code = make_case(email="zhangsan@example.com")
    no_mail, no_mail_code = make_case(email="")
    matched = ask(client, case.number, "zhangsan@example.com")
    wrong_address = ask(client, case.number, "other@example.com")
    unknown_number = ask(client, "PY2026999999", "zhangsan@example.com")
    no_address = ask(client, no_mail.number, "zhangsan@example.com")
    pages = {r.get_data(as_text=True) for r in (matched, wrong_address, unknown_number, no_address)}
    assert len(pages) == 1
    assert {r.status_code for r in (matched, wrong_address, unknown_number, no_address)} == {200}
    assert [m.recipient for m in outbox()] == ["zhangsan@example.com"]
    assert intake.verify_lookup(no_mail.number, no_mail_code).id == no_mail.id


@pytest.mark.parametrize("number, email, error", [
    ("", "a@example.com", 'id="number-err">请填写受理编号。'),
    ("PY2026\x00000001", "a@example.com", 'id="number-err">含有不允许的控制字符'),
    ("PY2026000001", "not-an-address", 'id="email-err">请填写有效的电子邮箱地址。'),
    ("PY2026000001", "a" * 300 + "@example.com", 'id="email-err">字段长度不能超过 254 个字符。'),
    ("P" * 100, "a@example.com", 'id="number-err">字段长度不能超过 32 个字符。'),
])
def test_bad_input_answers_400_with_the_reason_and_keeps_what_was_typed(ctx, client, number,
                                                                        email, error):
    response = ask(client, number, email)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert error in html
    kept = email if len(email) < 50 else number  # what was typed comes back
    if kept:
        assert f'value="{kept}"' in html
    assert outbox() == []


def test_the_form_asks_for_the_captcha(ctx, guarded):
    case, _ = make_case()
    client = guarded.test_client()
    page = client.get("/track/forgot").get_data(as_text=True)
    assert 'name="captcha_id"' in page
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/track/forgot", data={
        "csrf_token": token, "number": case.number, "email": "zhangsan@example.com",
        "captcha_id": "x" * 20, "captcha": "ABCDE"})
    assert response.status_code == 400
    assert "验证码不正确或已过期" in response.get_data(as_text=True)
    assert outbox() == []


def _worker(**overrides):
    return make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=REDIS_URL, **overrides)


def test_mails_per_number_are_limited_and_the_answer_stays_the_same(app, ctx, fresh_redis):
    case, _ = make_case(email="zhangsan@example.com")
    pages = []
    for _i in range(4):  # a new app each time: another worker, the count lives in Redis
        worker = _worker()
        with worker.app_context():
            response = ask(worker.test_client(), case.number, "zhangsan@example.com",
                           addr=f"10.5.1.{_i}")
            pages.append((response.status_code, SAME_ANSWER in response.get_data(as_text=True)))
            db.session.remove()
    assert pages == [(200, True)] * 4
    assert len(outbox()) == 3  # CODE_RESET_MAILS_PER_NUMBER = "3 per day"
    assert any(b"code_reset_mails_per_number" in key for key in fresh_redis.keys("*"))


def test_mails_per_address_are_limited_across_numbers(app, ctx, fresh_redis):
    cases = [make_case(email="same@example.com")[0] for _ in range(3)]
    worker = _worker(CODE_RESET_MAILS_PER_EMAIL="2 per day")
    with worker.app_context():
        for i, case in enumerate(cases):
            ask(worker.test_client(), case.number, "SAME@example.com", addr=f"10.5.2.{i}")
        db.session.remove()
    assert len(outbox()) == 2


def test_requests_per_client_are_refused_beyond_the_limit(app, ctx, fresh_redis):
    worker = _worker()
    with worker.app_context():
        client = worker.test_client()
        statuses = [ask(client, f"PY20269{i:05d}", "x@example.com", addr="10.5.3.1").status_code
                    for i in range(11)]
        other = ask(client, "PY2026900000", "x@example.com", addr="10.5.3.2").status_code
        db.session.remove()
    assert statuses == [200] * 10 + [429]
    assert other == 200


def test_the_lookup_page_links_to_it_and_it_reads_in_english(ctx, client):
    assert 'href="/track/forgot"' in client.get("/track").get_data(as_text=True)
    client.get("/lang/en")
    page = client.get("/track/forgot").get_data(as_text=True)
    assert "Forgotten query code" in page
