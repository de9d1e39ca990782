"""The e-mails the portal sends, queued in the outbox inside the caller's transaction."""

from flask import current_app
from sqlalchemy import select

from models import StaffUser, access, db, queue_mail
from models.case import KIND_LABELS, Kind
from portal.abuse.html_cleaning import plain_text_of


def _lookup_url():
    return current_app.config["PORTAL_BASE_URL"].rstrip("/") + "/track"


def _footer():
    return (
        f"\n\n查询办理进度：{_lookup_url()}（需要受理编号和查询码）\n"
        f"{current_app.config['PORTAL_BUREAU_NAME']}民主评议领导小组办公室"
    )


def _to_citizen(case, subject, body, now):
    queue_mail(case.email, f"[{case.number}] {subject}", body + _footer(), now=now)


def accepted(case, now):
    kind = KIND_LABELS[Kind(case.kind)]
    body = (
        f"您好！您于 {case.received_on:%Y-%m-%d} 提交的{kind}《{case.title}》已受理，"
        f"受理编号 {case.number}，答复期限 {case.due_on:%Y-%m-%d}。"
    )
    _to_citizen(case, "已受理", body, now)


def not_accepted(case, reason, now):
    body = f"您好！您提交的《{case.title}》（{case.number}）不予受理。说明：{reason}"
    _to_citizen(case, "不予受理", body, now)


def replied(case, reply, now):
    body = (
        f"您好！您反映的《{case.title}》（{case.number}）已答复：\n\n"
        f"{plain_text_of(reply.body_html)}\n\n"
        "欢迎在查询页面对答复进行评价（满意、基本满意或不满意）。"
    )
    _to_citizen(case, "已答复", body, now)


def reopened(case, reason, now):
    body = (
        f"您好！根据您的评价，《{case.title}》（{case.number}）已交回重新办理，"
        f"新的答复期限 {case.due_on:%Y-%m-%d}。说明：{reason}"
    )
    _to_citizen(case, "重新办理", body, now)


def unit_staff(unit_id):
    stmt = select(StaffUser).where(
        StaffUser.unit_id == unit_id,
        StaffUser.active.is_(True),
        StaffUser.role.in_([r.value for r in access.UNIT_ROLES]),
    )
    return db.session.scalars(stmt).all()


def assigned(case, now):
    for user in unit_staff(case.unit_id):
        queue_mail(
            user.email,
            f"[{case.number}] 新交办事项：{case.title}",
            f"{user.name}：评议办交办事项《{case.title}》（{case.number}），"
            f"答复期限 {case.due_on:%Y-%m-%d}。请登录后台签收或退回。",
            now=now,
        )


def urged(case, note, now):
    """The office urges (催办): the unit leader and the case's handler are told, with its note."""
    due = f"{case.due_on:%Y-%m-%d}" if case.due_on else "—"
    for user in unit_staff(case.unit_id):
        if access.is_leader(user) or user.id == case.handler_id:
            queue_mail(user.email, f"[{case.number}] 催办：{case.title}",
                       f"{user.name}：评议办催办事项《{case.title}》（{case.number}），"
                       f"答复期限 {due}。\n\n催办意见：{note}\n\n请抓紧办理并按期答复。",
                       now=now)
