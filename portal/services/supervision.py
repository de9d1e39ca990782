"""Supervision (督办): the office urges a case; overdue cases go up to the leadership group.

One function per use case; each owns its commit.
"""

from flask import current_app
from sqlalchemy import select

from models import DomainError, Role, StaffUser, access, db, load_calendar, queue_mail
from models.i18n import N_
from models.outbox import already_queued
from models.supervision import URGED, escalated, escalation_cutoff, overdue_working_days
from portal.services import mail_bodies
from portal.services.clock import local_date
from portal.services.transaction import rolls_back


@rolls_back
def urge_case(case, *, actor, note, now):
    """Urge (催办) a unit's unanswered case: the history records it with the office's note, and
    the unit leader and the handler are mailed."""
    if not access.is_office(actor):
        raise DomainError(N_("催办由评议办进行。"))
    if not access.may_urge(actor, case):
        raise DomainError(N_("只有已交办、尚未答复的事项可以催办。"))
    case.record(URGED, role=Role(actor.role), actor=actor, note=note, at=now)
    mail_bodies.urged(case, note, now)
    db.session.commit()
    return case


def escalation_list(*, now, fence_unit_id=None):
    """[(case, working days overdue)] of the cases escalated to the leadership group today."""
    today, calendar = local_date(now), load_calendar()
    cutoff = escalation_cutoff(today, current_app.config["ESCALATION_WORKING_DAYS"], calendar)
    cases = db.session.scalars(escalated(cutoff, fence_unit_id)).all()
    return [(case, overdue_working_days(case.due_on, today, calendar)) for case in cases]


def leadership_members():
    return db.session.scalars(select(StaffUser).where(
        StaffUser.active.is_(True), StaffUser.leadership.is_(True))).all()


def queue_escalation_digest(*, now):
    """Queue today's digest of escalated cases to each member of the leadership group.
    Idempotent: a member gets one a day however often this runs; none when nothing is escalated."""
    today = local_date(now)
    rows = escalation_list(now=now)
    queued = 0
    for user in leadership_members() if rows else []:
        key = f"escalation:{user.id}:{today.isoformat()}"
        if not user.email or already_queued(key):
            continue
        lines = [f"{case.number}  超期 {days} 个工作日  {case.due_on:%Y-%m-%d}  "
                 f"{case.unit.name if case.unit else '未交办'}  {case.title}" for case, days in rows]
        body = "\n".join([f"{user.name}：以下事项超过答复期限 "
                          f"{current_app.config['ESCALATION_WORKING_DAYS']} 个工作日仍未答复，"
                          "已提交领导小组督办。", "", *lines])
        queue_mail(user.email, f"督办事项 {today:%Y-%m-%d}（{len(rows)} 件）", body,
                   now=now, dedupe_key=key)
        queued += 1
    db.session.commit()
    return queued
