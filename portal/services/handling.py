"""The life of a case in the back office: one function per step, each committing once.

Views check that the actor may see the case; these functions check what the actor may do.
"""

from flask_babel import lazy_gettext as _l

from models import DomainError, Role, Status, Unit, db, load_calendar
from models.access import may_receive
from models.reply import Reply, last_rating_unsatisfied
from models.workdays import EXTENSION_MAX_WORKING_DAYS, reply_working_days
from models.workflow import WITH_UNIT
from portal.abuse.html_cleaning import clean_reply_html
from portal.services import mail_bodies
from portal.services.clock import local_date


def _role(actor):
    return Role(actor.role)


def _own_unit(case, actor):
    """Unit staff act only on their own unit's cases; the office on all."""
    if not actor.is_office and case.unit_id != actor.unit_id:
        raise DomainError(_l("该事项不属于您的科室。"))


def _commit(case):
    db.session.commit()
    return case


def _unit(unit_id, case):
    """The unit ``case`` is to be assigned to, if it may receive it."""
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None or not unit.active:
        raise DomainError(_l("请选择有效的承办科室。"))
    if not may_receive(case, unit):
        raise DomainError(_l("举报件不能交办给被举报的科室：请由评议办自行处理，或交办给其他科室。"))
    return unit


def accept(case, *, actor, unit_id=None, note="", now):
    """Accept (受理) inside the caller's transaction: the reply clock starts from the day of
    receipt; optionally assign at once. ``accept_case`` commits it; staff entry runs it in the
    transaction that files the case."""
    unit = _unit(unit_id, case) if unit_id else None  # refused before anything is changed
    case.move_to(Status.ACCEPTED, role=_role(actor), actor=actor, note=note, at=now)
    case.set_deadline(case.received_on, reply_working_days(case.kind), load_calendar())
    mail_bodies.accepted(case, now)
    if unit is not None:
        _assign(case, actor, unit, note, now)
    return case


def accept_case(case, *, actor, unit_id=None, note="", now):
    """Accept (受理), and assign at once when ``unit_id`` is given."""
    return _commit(accept(case, actor=actor, unit_id=unit_id, note=note, now=now))


def refuse_case(case, *, actor, reason, now):
    """Not accepted (不予受理), with the explanation the citizen reads."""
    case.move_to(Status.NOT_ACCEPTED, role=_role(actor), actor=actor, public_note=reason, at=now)
    mail_bodies.not_accepted(case, reason, now)
    return _commit(case)


def _assign(case, actor, unit, note, now):
    case.move_to(Status.ASSIGNED, role=_role(actor), actor=actor, note=note, at=now,
                 action="assigned")
    case.unit_id, case.handler_id = unit.id, None
    mail_bodies.assigned(case, now)


def assign_case(case, *, actor, unit_id, note="", now):
    """Assign (交办) to a unit, or reassign a returned case."""
    _assign(case, actor, _unit(unit_id, case), note, now)
    return _commit(case)


def sign_case(case, *, actor, now):
    """The unit signs for (签收) the case; the signer becomes its handler unless one is set."""
    _own_unit(case, actor)
    case.move_to(Status.SIGNED, role=_role(actor), actor=actor, at=now)
    case.handler_id = case.handler_id or actor.id
    return _commit(case)


def return_case(case, *, actor, reason, now):
    """The unit returns (退回) a misrouted case to the office, saying why."""
    _own_unit(case, actor)
    case.move_to(Status.RETURNED, role=_role(actor), actor=actor, note=reason, at=now)
    return _commit(case)


def start_case(case, *, actor, now):
    _own_unit(case, actor)
    case.move_to(Status.IN_PROGRESS, role=_role(actor), actor=actor, at=now)
    return _commit(case)


def set_handler(case, *, actor, handler, now):
    """The unit leader names the handler (承办人) from the unit's own staff."""
    _own_unit(case, actor)
    if handler is None or handler.unit_id != case.unit_id or not handler.active:
        raise DomainError(_l("承办人必须是本科室的在岗人员。"))
    case.handler_id = handler.id
    case.record("handler_set", role=_role(actor), actor=actor, note=handler.name, at=now)
    return _commit(case)


def add_note(case, *, actor, text, now):
    """An internal note: staff read it in the history, the citizen never does."""
    case.record("note", role=_role(actor), actor=actor, note=text, at=now)
    return _commit(case)


def _draft(case, actor, body_html, now):
    html = clean_reply_html(body_html)
    if not html.strip():
        raise DomainError(_l("答复内容不能为空。"))
    reply = db.session.query(Reply).filter_by(case_id=case.id, submitted_at=None).first()
    if reply is None:
        reply = Reply(case_id=case.id, drafted_by_id=actor.id, drafted_at=now, body_html=html)
        db.session.add(reply)
    reply.body_html, reply.drafted_by_id, reply.drafted_at = html, actor.id, now
    return reply


def save_draft(case, *, actor, body_html, now):
    """Keep a draft without sending it for approval; the status does not change."""
    _own_unit(case, actor)
    if case.status != Status.IN_PROGRESS:
        raise DomainError(_l("只有办理中的事项可以起草答复。"))
    _draft(case, actor, body_html, now)
    return _commit(case)


def submit_reply(case, *, actor, body_html, now):
    """Send the draft to the unit leader for approval (答复待审核)."""
    _own_unit(case, actor)
    reply = _draft(case, actor, body_html, now)
    case.move_to(Status.REPLY_DRAFTED, role=_role(actor), actor=actor, at=now)
    reply.submitted_at = now
    return _commit(case)


def _pending_reply(case):
    reply = db.session.query(Reply).filter_by(case_id=case.id, released_at=None).order_by(
        Reply.id.desc()).first()
    if reply is None or reply.submitted_at is None:
        raise DomainError(_l("没有待审核的答复。"))
    return reply


def approve_reply(case, *, actor, now):
    _own_unit(case, actor)
    reply = _pending_reply(case)
    case.move_to(Status.REPLY_APPROVED, role=_role(actor), actor=actor, at=now)
    reply.approved_by_id, reply.approved_at = actor.id, now
    return _commit(case)


def send_back(case, *, actor, reason, now):
    """The leader (or the office, after approval) sends a reply back for rework."""
    if not actor.is_office:
        _own_unit(case, actor)
    reply = _pending_reply(case)
    case.move_to(Status.IN_PROGRESS, role=_role(actor), actor=actor, note=reason, at=now,
                 action="sent_back")
    reply.submitted_at, reply.approved_by_id, reply.approved_at = None, None, None
    return _commit(case)


def release_reply(case, *, actor, now):
    """The office releases the approved reply: the citizen can read it now (已答复)."""
    reply = _pending_reply(case)
    if reply.approved_at is None:
        raise DomainError(_l("答复尚未经科室负责人审核。"))
    case.move_to(Status.REPLIED, role=_role(actor), actor=actor, at=now)
    reply.released_at = now
    case.replied_at, case.replied_on = now, local_date(now)
    mail_bodies.replied(case, reply, now)
    return _commit(case)


def request_extension(case, *, actor, days, reason, now):
    """The unit leader asks for more time once; the office decides."""
    _own_unit(case, actor)
    if case.extended or case.extension_days_requested:
        raise DomainError(_l("每件事项只能申请延期一次。"))
    if Status(case.status) not in WITH_UNIT:
        raise DomainError(_l("该事项当前不能申请延期。"))
    if not 1 <= days <= EXTENSION_MAX_WORKING_DAYS:
        raise DomainError(_l("延期天数应为 1 至 %(n)d 个工作日。", n=EXTENSION_MAX_WORKING_DAYS))
    case.extension_days_requested, case.extension_reason = days, reason
    case.record("extension_requested", role=_role(actor), actor=actor,
                note=f"{days} / {reason}", at=now)
    return _commit(case)


def decide_extension(case, *, actor, approve, now):
    """Approve: the deadline moves and the citizen sees the reason. Refuse: the clock stands."""
    if not actor.is_office:
        raise DomainError(_l("延期由评议办审批。"))
    days = case.extension_days_requested
    if not days:
        raise DomainError(_l("没有待审批的延期申请。"))
    if approve:
        case.extend_deadline(days, load_calendar())
        case.extended = True
        case.record("extended", role=_role(actor), actor=actor, public_note=case.extension_reason,
                    note=str(days), at=now)
    else:
        case.record("extension_refused", role=_role(actor), actor=actor, at=now)
    case.extension_days_requested = None
    return _commit(case)


def reopen_case(case, *, actor, reason, now):
    """Send an unsatisfied case back for handling again (重办) with a new deadline."""
    if not last_rating_unsatisfied(case.id):
        raise DomainError(_l("只有评价为不满意的事项可以重办。"))
    case.move_to(Status.REOPENED, role=_role(actor), actor=actor, public_note=reason, at=now)
    case.set_deadline(local_date(now), reply_working_days(case.kind), load_calendar())
    case.extended, case.replied_at, case.replied_on = False, None, None
    mail_bodies.reopened(case, reason, now)
    return _commit(case)


def close_case(case, *, actor, now):
    """The office closes (办结) a rated case."""
    case.move_to(Status.CLOSED, role=_role(actor), actor=actor, at=now)
    case.closed_at = now
    return _commit(case)
