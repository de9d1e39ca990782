"""The case state machine: statuses, who may move a case where, and plain-word labels.

Pure data and functions; ``Case.move_to`` is the only code that applies a transition.
"""

from enum import StrEnum

from models.base import DomainError
from models.i18n import N_


class Status(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    NOT_ACCEPTED = "not_accepted"
    ASSIGNED = "assigned"
    RETURNED = "returned"
    SIGNED = "signed"
    IN_PROGRESS = "in_progress"
    REPLY_DRAFTED = "reply_drafted"
    REPLY_APPROVED = "reply_approved"
    REPLIED = "replied"
    RATED = "rated"
    REOPENED = "reopened"
    CLOSED = "closed"


class Role(StrEnum):
    ADMIN = "admin"
    OFFICE = "office"
    LEADER = "leader"
    HANDLER = "handler"
    CITIZEN = "citizen"  # pseudo-roles: not staff accounts
    SYSTEM = "system"


OFFICE = frozenset({Role.ADMIN, Role.OFFICE})
UNIT = frozenset({Role.LEADER, Role.HANDLER})
LEADER = frozenset({Role.LEADER})

# from -> {to: roles allowed}. Read as the office's procedure: accept or refuse within two working
# days, assign to a unit, the unit signs or returns it, drafts, its leader approves, the office
# releases the reply, the citizen rates, and an unsatisfied rating may be sent back (重办).
TRANSITIONS = {
    # The system accepts and routes questionnaire opinions: their unit is already known.
    Status.SUBMITTED: {Status.ACCEPTED: OFFICE | {Role.SYSTEM}, Status.NOT_ACCEPTED: OFFICE},
    Status.ACCEPTED: {Status.ASSIGNED: OFFICE | {Role.SYSTEM}},
    Status.ASSIGNED: {Status.SIGNED: UNIT, Status.RETURNED: UNIT, Status.ASSIGNED: OFFICE},
    Status.RETURNED: {Status.ASSIGNED: OFFICE, Status.NOT_ACCEPTED: OFFICE},
    Status.SIGNED: {Status.IN_PROGRESS: UNIT},
    Status.IN_PROGRESS: {Status.REPLY_DRAFTED: UNIT},
    Status.REPLY_DRAFTED: {Status.REPLY_APPROVED: LEADER, Status.IN_PROGRESS: LEADER},
    Status.REPLY_APPROVED: {Status.REPLIED: OFFICE, Status.IN_PROGRESS: OFFICE},
    # Closing an unrated reply waits for the rating window to pass: only the daily job does it.
    Status.REPLIED: {Status.RATED: {Role.CITIZEN}, Status.CLOSED: {Role.SYSTEM}},
    Status.RATED: {Status.CLOSED: OFFICE, Status.REOPENED: OFFICE},
    Status.REOPENED: {Status.IN_PROGRESS: UNIT},
    Status.NOT_ACCEPTED: {},
    Status.CLOSED: {},
}

FINAL = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)
# "Unanswered" means no reply has reached the citizen yet; the board shows all of these.
UNANSWERED = frozenset(
    {
        Status.SUBMITTED,
        Status.ACCEPTED,
        Status.ASSIGNED,
        Status.RETURNED,
        Status.SIGNED,
        Status.IN_PROGRESS,
        Status.REPLY_DRAFTED,
        Status.REPLY_APPROVED,
        Status.REOPENED,
    }
)
ANSWERED = frozenset({Status.REPLIED, Status.RATED, Status.CLOSED})
# What waits on the office: to accept, returned, to assign, to release, rated to close or reopen.
TRIAGE = frozenset(
    {Status.SUBMITTED, Status.RETURNED, Status.ACCEPTED, Status.REPLY_APPROVED, Status.RATED}
)
# Statuses in which the unit holds the case: its leader names the handler or asks for more time.
# (The deadline clock runs in every unanswered status: models/deadlines.py, CLOCK_RUNS.)
WITH_UNIT = frozenset(
    {Status.ASSIGNED, Status.SIGNED, Status.IN_PROGRESS, Status.REPLY_DRAFTED, Status.REOPENED}
)

LABELS = {
    Status.SUBMITTED: N_("待受理"),
    Status.ACCEPTED: N_("已受理"),
    Status.NOT_ACCEPTED: N_("不予受理"),
    Status.ASSIGNED: N_("已交办"),
    Status.RETURNED: N_("已退回"),
    Status.SIGNED: N_("已签收"),
    Status.IN_PROGRESS: N_("办理中"),
    Status.REPLY_DRAFTED: N_("答复待审核"),
    Status.REPLY_APPROVED: N_("答复已审核"),
    Status.REPLIED: N_("已答复"),
    Status.RATED: N_("已评价"),
    Status.REOPENED: N_("重办"),
    Status.CLOSED: N_("已办结"),
}

# What a citizen reads: the inner steps of the office are one "being handled".
CITIZEN_LABELS = {
    Status.SUBMITTED: N_("已收到，等待受理"),
    Status.NOT_ACCEPTED: N_("不予受理（见说明）"),
    Status.REPLIED: N_("已答复，欢迎评价"),
    Status.RATED: N_("已评价"),
    Status.CLOSED: N_("已办结"),
}
HANDLING_LABEL = N_("已受理，正在办理")


class InvalidTransition(DomainError):
    pass


def citizen_label(status):
    return CITIZEN_LABELS.get(Status(status), HANDLING_LABEL)


def can_move(status, to, role):
    return Role(role) in TRANSITIONS[Status(status)].get(Status(to), ())


def allowed_next(status, role):
    """The statuses ``role`` may move a case in ``status`` to, in table order."""
    return [to for to, roles in TRANSITIONS[Status(status)].items() if Role(role) in roles]


def check_move(status, to, role):
    if not can_move(status, to, role):
        raise InvalidTransition(N_("不能从 %(from_status)s 转为 %(to_status)s（角色：%(role)s）。"),
                                from_status=Status(status).value, to_status=Status(to).value,
                                role=Role(role).value)


def citizen_history(events):
    """What a citizen sees of a history: each change of plain-word status, and every note
    addressed to them; internal steps and internal notes stay out."""
    shown, last = [], None
    for event in events:
        label = citizen_label(event.to_status) if event.action != "submitted" else N_("已提交")
        if label != last or event.public_note:
            shown.append((event.at, label, event.public_note))
            last = label
    return shown


# Events that are not plain status moves, named for the history staff read.
ACTION_LABELS = {
    "submitted": N_("登记"),
    "note": N_("内部备注"),
    "handler_set": N_("指定承办人"),
    "extension_requested": N_("申请延期"),
    "extended": N_("同意延期"),
    "extension_refused": N_("不同意延期"),
    "sent_back": N_("退回修改答复"),
    "assigned": N_("交办"),
    "closed_unrated": N_("评价期满未评价，办结"),
    "personal_data_purged": N_("保存期满，已删除联系方式和附件"),
    "urged": N_("催办"),
    "rated:satisfied": N_("群众评价：满意"),
    "rated:basically_satisfied": N_("群众评价：基本满意"),
    "rated:unsatisfied": N_("群众评价：不满意"),
    "code_reissued": N_("查询码已重新发送至登记邮箱"),
}


def event_label(event):
    return ACTION_LABELS.get(event.action) or LABELS[Status(event.to_status)]
