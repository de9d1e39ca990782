"""Delivering the outbox over SMTP, and the daily digest of due-soon and overdue cases."""

import logging
import smtplib
from email.errors import MessageError
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

from models import Case, Role, StaffUser, access, db, queue_mail, queues
from models.deadlines import deadline_mark
from models.outbox import already_queued, given_up_count, pending, single_line
from portal.services.clock import deadline_policy, local_date
from portal.services.transaction import rolls_back

log = logging.getLogger(__name__)


def build_email(sender, message):
    """Headers from single-line text only: a line break in a header cannot be sent."""
    email = EmailMessage()
    email["From"] = single_line(sender)
    email["To"] = single_line(message.recipient)
    email["Subject"] = single_line(message.subject)
    email.set_content(message.body)
    return email


@rolls_back
def send_pending(*, now, limit=100):
    """Send the queued mail that is due; a message that fails is kept with its error and tried
    again after a growing wait, and never holds up the others. Returns (sent, failed)."""
    sent = failed = 0
    cfg = current_app.config
    for message in pending(limit, now=now):
        try:
            email = build_email(cfg["MAIL_SENDER"], message)
            with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10) as smtp:
                smtp.send_message(email)
            message.record_sent(now)
            sent += 1
        except (OSError, ValueError, MessageError, smtplib.SMTPException) as exc:
            message.record_failure(f"{type(exc).__name__}: {exc}", now)
            failed += 1
            log.warning("mail to outbox id=%s failed (attempt %s): %s",
                        message.id, message.attempts, exc)
            if _server_unreachable(exc):
                db.session.commit()
                break  # the rest would fail the same way; they wait for the next run
        db.session.commit()  # each message's outcome is kept even if a later one fails
    return sent, failed


def _server_unreachable(exc):
    # SMTPException is itself an OSError: only socket-level errors and a lost or refused
    # connection mean the server is down, not that this one message is bad.
    return isinstance(exc, smtplib.SMTPConnectError | smtplib.SMTPServerDisconnected) or (
        isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException))


def given_up():
    """How many messages failed every attempt and wait for an operator."""
    return given_up_count()


DIGEST_MARKS = {"overdue": "已超期", "due-soon": "即将到期"}


def _digest_lines(cases, today, soon):
    lines = []
    for case in cases:
        mark = DIGEST_MARKS[deadline_mark(case.status, case.due_on, today, soon)]
        lines.append(f"{mark}  {case.number}  {case.due_on:%Y-%m-%d}  {case.title}")
    return lines


@rolls_back
def queue_digest(*, now):
    """Queue today's digest for each unit leader (their unit) and the office (all units).
    Idempotent: a recipient gets one digest a day however often this runs."""
    today = local_date(now)
    soon = deadline_policy().due_soon_until(today)
    stmt = queues.unanswered().where(Case.due_on <= soon).order_by(Case.due_on, Case.id)
    urgent = db.session.scalars(stmt).all()
    recipients = db.session.scalars(select(StaffUser).where(
        StaffUser.active.is_(True),
        StaffUser.role.in_([Role.LEADER.value, Role.OFFICE.value]))).all()
    queued = 0
    for user in recipients:
        mine = [c for c in urgent if access.may_see(user, c)]
        key = f"digest:{user.id}:{today.isoformat()}"
        if not mine or not user.email or already_queued(key):
            continue
        body = "\n".join([f"{user.name}：以下事项即将到期或已超期，请及时答复。", "",
                          *_digest_lines(mine, today, soon)])
        queue_mail(user.email, f"未答复事项提醒 {today:%Y-%m-%d}（{len(mine)} 件）", body,
                   now=now, dedupe_key=key)
        queued += 1
    db.session.commit()
    return queued
