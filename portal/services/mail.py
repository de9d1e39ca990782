"""Delivering the outbox over SMTP, and the daily digest of due-soon and overdue cases."""

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

from models import Case, Role, StaffUser, db, load_calendar, queue_mail, queues
from models.outbox import already_queued, pending
from models.workdays import DUE_SOON_WORKING_DAYS

from .clock import local_date

log = logging.getLogger(__name__)


def send_pending(*, now, limit=100):
    """Send queued mail; a failure is recorded and retried on the next run. Returns (sent,
    failed)."""
    sent = failed = 0
    cfg = current_app.config
    for message in pending(limit):
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = (
            cfg["MAIL_SENDER"], message.recipient, message.subject)
        email.set_content(message.body)
        message.attempts += 1
        try:
            with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10) as smtp:
                smtp.send_message(email)
            message.sent_at, message.last_error = now, ""
            sent += 1
        except (OSError, smtplib.SMTPException) as exc:
            message.last_error = str(exc)[:500]
            failed += 1
            log.warning("mail to outbox id=%s failed: %s", message.id, exc)
        db.session.commit()  # each message's outcome is kept even if a later one fails
    return sent, failed


def _digest_lines(cases, today):
    lines = []
    for case in cases:
        mark = "已超期" if case.due_on < today else "即将到期"
        lines.append(f"{mark}  {case.number}  {case.due_on:%Y-%m-%d}  {case.title}")
    return lines


def queue_digest(*, now):
    """Queue today's digest for each unit leader (their unit) and the office (all units).
    Idempotent: a recipient gets one digest a day however often this runs."""
    today = local_date(now)
    soon, _known = load_calendar().add_working_days(today, DUE_SOON_WORKING_DAYS)
    stmt = queues.unanswered().where(Case.due_on <= soon).order_by(Case.due_on, Case.id)
    urgent = db.session.scalars(stmt).all()
    recipients = db.session.scalars(select(StaffUser).where(
        StaffUser.active.is_(True),
        StaffUser.role.in_([Role.LEADER.value, Role.OFFICE.value]))).all()
    queued = 0
    for user in recipients:
        mine = urgent if user.is_office else [c for c in urgent if c.unit_id == user.unit_id]
        key = f"digest:{user.id}:{today.isoformat()}"
        if not mine or not user.email or already_queued(key):
            continue
        body = "\n".join([f"{user.name}：以下事项即将到期或已超期，请及时答复。", "",
                          *_digest_lines(mine, today)])
        queue_mail(user.email, f"未答复事项提醒 {today:%Y-%m-%d}（{len(mine)} 件）", body,
                   now=now, dedupe_key=key)
        queued += 1
    db.session.commit()
    return queued
