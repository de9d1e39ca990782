"""E-mail leaves through the outbox to a real SMTP server (aiosmtpd) run by the test."""

import socket
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from sqlalchemy import select

from models import OutboxMessage, db
from portal.services import mail
from tests.factories import NOW, act, login, make_case, unit


def subject(message):
    return str(make_header(decode_header(message["Subject"])))


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(app):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    old = app.config["MAIL_SERVER"], app.config["MAIL_PORT"]
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = "127.0.0.1", controller.port
    yield inbox
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = old
    controller.stop()


def test_citizen_and_unit_get_their_mail(app, ctx, smtp):
    case, _ = make_case(email="citizen@example.com")
    office = login(app.test_client(), app, "office")
    act(office, case.id, "accept", unit=unit("land").id)
    sent, failed = mail.send_pending(now=NOW)
    assert (sent, failed) == (3, 0)
    by_rcpt = {m["To"]: m for m in smtp.messages}
    citizen = by_rcpt["citizen@example.com"]
    assert case.number in subject(citizen) and "已受理" in subject(citizen)
    text = citizen.get_payload(decode=True).decode()
    assert "答复期限 2026-07-22" in text and "/track" in text
    assert "land_handler@bureau.example" in by_rcpt
    # Sent mail is not sent again.
    assert mail.send_pending(now=NOW) == (0, 0)


def test_reply_and_reopening_reach_the_citizen(app, ctx, smtp):
    case, code = make_case(email="c2@example.com")
    office = login(app.test_client(), app, "office")
    handler = login(app.test_client(), app, "land_handler")
    lead = login(app.test_client(), app, "land_lead")
    act(office, case.id, "accept", unit=unit("land").id)
    act(handler, case.id, "sign")
    act(handler, case.id, "start")
    act(handler, case.id, "reply", body="<p>已处理 &amp; 整改</p>", submit_for_approval="y")
    act(lead, case.id, "approve")
    act(office, case.id, "release")
    citizen = app.test_client()
    citizen.post("/track", data={"number": case.number, "code": code})
    citizen.post(f"/track/{case.number}/rate", data={"value": "unsatisfied", "reason": "没解决"})
    act(office, case.id, "reopen", reason="请再次核实")
    mail.send_pending(now=NOW)
    subjects = [subject(m) for m in smtp.messages if m["To"] == "c2@example.com"]
    assert [s.split("] ")[1] for s in subjects] == ["已受理", "已答复", "重新办理"]
    reply_mail = [m for m in smtp.messages if "已答复" in subject(m)][0]
    assert "已处理 & 整改" in reply_mail.get_payload(decode=True).decode()


def test_failed_delivery_is_kept_and_retried(app, ctx, smtp):
    app.config["MAIL_PORT"] = free_port()  # nobody listens there; the fixture restores it
    case, _ = make_case(email="c3@example.com")
    office = login(app.test_client(), app, "office")
    act(office, case.id, "accept")
    sent, failed = mail.send_pending(now=NOW)
    assert sent == 0 and failed >= 1
    row = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == "c3@example.com")).one()
    assert row.sent_at is None and row.attempts == 1 and row.last_error


def test_daily_digest_goes_to_leaders_and_office_once_a_day(app, ctx, smtp):
    overdue, _ = make_case(title="已超期的事项标题")
    other, _ = make_case(title="另一科室的事项", target_unit_id=unit("compilation").id)
    office = login(app.test_client(), app, "office")
    act(office, overdue.id, "accept", unit=unit("land").id)
    act(office, other.id, "accept", unit=unit("compilation").id)
    mail.send_pending(now=NOW)
    smtp.messages.clear()
    later = NOW + timedelta(days=30)
    assert mail.queue_digest(now=later) == 3  # office, land lead, compilation lead
    assert mail.queue_digest(now=later) == 0  # idempotent
    mail.send_pending(now=later)
    digests = {m["To"]: m.get_payload(decode=True).decode() for m in smtp.messages}
    assert "已超期的事项标题" in digests["land_lead@bureau.example"]
    assert "另一科室的事项" not in digests["land_lead@bureau.example"]
    assert "另一科室的事项" in digests["office@bureau.example"]
    assert "已超期" in digests["office@bureau.example"]


def test_cli_commands_run(app, ctx, smtp):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["daily"])
    assert result.exit_code == 0 and "closed 0 unrated" in result.output
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0 and "sent" in result.output


def test_create_staff_command(app, ctx):
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["create-staff", "survey_lead", "--name", "测绘科 周敏", "--role",
                             "leader", "--unit", "survey", "--password", "long-enough-pw"])
    assert ok.exit_code == 0 and "created survey_lead (leader)" in ok.output
    for args, message in [
        (["survey_lead", "--role", "handler", "--unit", "survey"], "已被使用"),
        (["x_lead", "--role", "leader", "--unit", "nope"], "已有科室"),
        (["y_admin", "--role", "admin"], "至少 10 个字符"),
    ]:
        password = "short" if "10 个字符" in message else "long-enough-pw"
        bad = runner.invoke(args=["create-staff", *args, "--name", "某人", "--password", password])
        assert bad.exit_code != 0 and message in bad.output
    from models import db, find_staff
    db.session.delete(find_staff("survey_lead"))
    db.session.commit()
