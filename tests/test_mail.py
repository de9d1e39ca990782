"""E-mail leaves through the outbox to a real SMTP server (aiosmtpd) run by the test."""

from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from sqlalchemy import select

from models import OutboxMessage, db
from portal.services import mail
from tests.factories import NOW, act, login, make_case, unit
from tests.live import free_port


def subject(message):
    return str(make_header(decode_header(message["Subject"])))


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def serve_smtp(app, inbox):
    """A real SMTP server (aiosmtpd) on a free port, the app pointed at it while it runs."""
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    old = app.config["MAIL_SERVER"], app.config["MAIL_PORT"]
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = "127.0.0.1", controller.port
    yield inbox
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = old
    controller.stop()


@pytest.fixture
def smtp(app):
    yield from serve_smtp(app, Inbox())


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


class PickyInbox(Inbox):
    """Refuses the recipients in ``refused`` at RCPT, as a real server does for a dead mailbox."""

    def __init__(self):
        super().__init__()
        self.refused = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def picky(app):
    yield from serve_smtp(app, PickyInbox())


def outbox_row(recipient, subject, created_at=NOW):
    """A message as it may already sit in the outbox (written before any cleaning)."""
    row = OutboxMessage(recipient=recipient, subject=subject, body="正文", created_at=created_at)
    db.session.add(row)
    db.session.commit()
    return row


def row_for(recipient):
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == recipient)).one()


def test_line_breaks_in_a_subject_are_folded_and_the_batch_goes_out(app, ctx, smtp):
    outbox_row("a@example.com", "[PY1] 新交办：第一行\r\n第二行\u2028第三行\u2029四\x85五\v六\f七")
    outbox_row("b@example.com", "正常的标题")
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "sent 2, failed 0" in result.output
    subjects = {m["To"]: subject(m) for m in smtp.messages}
    assert subjects == {"a@example.com": "[PY1] 新交办：第一行 第二行 第三行 四 五 六 七",
                        "b@example.com": "正常的标题"}


def test_a_case_title_with_a_line_separator_reaches_the_unit_in_one_line(app, ctx, smtp):
    case, _ = make_case(title="屋顶漏水\u2028请尽快处理", email="")
    office = login(app.test_client(), app, "office")
    act(office, case.id, "accept", unit=unit("land").id)
    assert mail.send_pending(now=NOW) == (2, 0)  # the land unit's leader and handler
    assert {subject(m) for m in smtp.messages} == {
        f"[{case.number}] 新交办事项：屋顶漏水 请尽快处理"}


def test_a_refused_message_is_marked_failed_and_retried_after_the_backoff(app, ctx, picky):
    picky.refused.add("gone@example.com")
    for rcpt in ("first@example.com", "gone@example.com", "last@example.com"):
        outbox_row(rcpt, f"给 {rcpt}")
    assert mail.send_pending(now=NOW) == (2, 1)
    assert sorted(m["To"] for m in picky.messages) == ["first@example.com", "last@example.com"]
    gone = row_for("gone@example.com")
    assert gone.sent_at is None and gone.attempts == 1
    assert "550" in gone.last_error and "mailbox unavailable" in gone.last_error
    assert gone.next_attempt_at == NOW + timedelta(minutes=5)
    # Not before the backoff time...
    assert mail.send_pending(now=NOW + timedelta(minutes=4, seconds=59)) == (0, 0)
    assert row_for("gone@example.com").attempts == 1
    # ...and at it, once the mailbox is back.
    picky.refused.clear()
    assert mail.send_pending(now=NOW + timedelta(minutes=5)) == (1, 0)
    gone = row_for("gone@example.com")
    assert gone.sent_at == NOW + timedelta(minutes=5) and gone.attempts == 2
    assert gone.last_error == "" and gone.next_attempt_at is None
    assert [m["To"] for m in picky.messages][-1] == "gone@example.com"


def test_after_five_attempts_a_message_stays_failed_and_is_counted(app, ctx, picky):
    picky.refused.add("gone@example.com")
    outbox_row("gone@example.com", "永远送不到")
    # Waits double each time: 5, 10, 20, 40 minutes after the attempts that failed.
    when = NOW
    for attempt, wait in enumerate([5, 10, 20, 40], start=1):
        assert mail.send_pending(now=when) == (0, 1)
        row = row_for("gone@example.com")
        assert row.attempts == attempt and row.next_attempt_at == when + timedelta(minutes=wait)
        when += timedelta(minutes=wait)
    assert mail.send_pending(now=when) == (0, 1)
    row = row_for("gone@example.com")
    assert row.attempts == 5 and row.next_attempt_at is None and "550" in row.last_error
    assert mail.send_pending(now=when + timedelta(days=30)) == (0, 0)
    assert row_for("gone@example.com").attempts == 5
    outbox_row("ok@example.com", "能送到")
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "sent 1, failed 0; 1 given up after 5 attempts" in result.output


def test_an_unreachable_server_ends_the_run_without_charging_every_message(app, ctx, smtp):
    app.config["MAIL_PORT"] = free_port()  # nobody listens there; the fixture restores it
    outbox_row("one@example.com", "一")
    outbox_row("two@example.com", "二")
    # The server, not the message, is at fault: the others wait for the next run untouched.
    assert mail.send_pending(now=NOW) == (0, 1)
    assert (row_for("one@example.com").attempts, row_for("two@example.com").attempts) == (1, 0)
    assert "ConnectionRefusedError" in row_for("one@example.com").last_error
