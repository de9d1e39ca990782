"""The life of a case in the back office: one function per step, each committing once.

Views check that the actor may see the case; these functions check what the actor may do.
"""

from models import DomainError, Status, Unit, access, db
from models.i18n import N_
from models.reply import Reply, last_rating_unsatisfied
from models.workflow import WITH_UNIT
from portal.abuse.html_cleaning import clean_reply_html
from portal.services import mail_bodies
from portal.services.clock import deadline_policy, local_date
from portal.services.transaction import rolls_back


def _own_unit(case, actor):
    """Unit staff act only on their own unit's cases; the office on all."""
    if not access.may_see(actor, case):
        raise DomainError(N_("该事项不属于您的科室。"))


def _commit(case):
    db.session.commit()
    return case


def _unit(unit_id, case):
    """The unit ``case`` is to be assigned to, if it may receive it."""
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None or not unit.active:
        raise DomainError(N_("请选择有效的承办科室。"))
    if not access.may_receive(case, unit):
        raise DomainError(N_("举报件不能交办给被举报的科室：请由评议办自行处理，或交办给其他科室。"))
    return unit


def accept(case, *, actor, unit_id=None, note="", now):
    """Accept (受理) inside the caller's transaction: the reply clock starts from the day of
    receipt; optionally assign at once. ``accept_case`` commits it; staff entry runs it in the
    transaction that files the case."""
    unit = _unit(unit_id, case) if unit_id else None  # refused before anything is changed
    case.accept(policy=deadline_policy(), actor=actor, unit=unit, note=note, at=now)
    mail_bodies.accepted(case, now)
    if unit is not None:
        mail_bodies.assigned(case, now)
    return case


@rolls_back
def accept_case(case, *, actor, unit_id=None, note="", now):
    """Accept (受理), and assign at once when ``unit_id`` is given."""
    return _commit(accept(case, actor=actor, unit_id=unit_id, note=note, now=now))


@rolls_back
def refuse_case(case, *, actor, reason, now):
    """Not accepted (不予受理), with the explanation the citizen reads."""
    case.refuse(actor=actor, reason=reason, at=now)
    mail_bodies.not_accepted(case, reason, now)
    return _commit(case)


@rolls_back
def assign_case(case, *, actor, unit_id, note="", now):
    """Assign (交办) to a unit, or reassign a returned case."""
    case.assign(_unit(unit_id, case), actor=actor, note=note, at=now)
    mail_bodies.assigned(case, now)
    return _commit(case)


@rolls_back
def sign_case(case, *, actor, now):
    """The unit signs for (签收) the case; the signer becomes its handler unless one is set."""
    _own_unit(case, actor)
    case.sign(actor=actor, at=now)
    return _commit(case)


@rolls_back
def return_case(case, *, actor, reason, now):
    """The unit returns (退回) a misrouted case to the office, saying why."""
    _own_unit(case, actor)
    case.return_to_office(actor=actor, reason=reason, at=now)
    return _commit(case)


@rolls_back
def start_case(case, *, actor, now):
    _own_unit(case, actor)
    case.start(actor=actor, at=now)
    return _commit(case)


@rolls_back
def set_handler(case, *, actor, handler, now):
    """The unit leader names the handler (承办人) from the unit's own staff."""
    _own_unit(case, actor)
    if not access.may_name_handler(actor, case):
        raise DomainError(N_("只有科室负责人可以指定承办人。"))
    if not access.may_handle(handler, case):
        raise DomainError(N_("承办人必须是本科室的在岗人员。"))
    case.name_handler(handler, actor=actor, at=now)
    return _commit(case)


@rolls_back
def add_note(case, *, actor, text, now):
    """An internal note: staff read it in the history, the citizen never does."""
    case.add_note(text, actor=actor, at=now)
    return _commit(case)


def _draft(case, actor, body_html, now):
    html = clean_reply_html(body_html)
    if not html.strip():
        raise DomainError(N_("答复内容不能为空。"))
    reply = db.session.query(Reply).filter_by(case_id=case.id, submitted_at=None).first()
    if reply is None:
        reply = Reply(case_id=case.id, drafted_by_id=actor.id, drafted_at=now, body_html=html)
        db.session.add(reply)
    reply.body_html, reply.drafted_by_id, reply.drafted_at = html, actor.id, now
    return reply


@rolls_back
def save_draft(case, *, actor, body_html, now):
    """Keep a draft without sending it for approval; the status does not change."""
    _own_unit(case, actor)
    if case.status != Status.IN_PROGRESS:
        raise DomainError(N_("只有办理中的事项可以起草答复。"))
    if not access.may_draft_reply(actor, case):
        raise DomainError(N_("答复由本科室人员起草。"))
    _draft(case, actor, body_html, now)
    return _commit(case)


@rolls_back
def submit_reply(case, *, actor, body_html, now):
    """Send the draft to the unit leader for approval (答复待审核)."""
    _own_unit(case, actor)
    reply = _draft(case, actor, body_html, now)
    case.submit_reply(actor=actor, at=now)
    reply.submitted_at = now
    return _commit(case)


def _pending_reply(case):
    reply = db.session.query(Reply).filter_by(case_id=case.id, released_at=None).order_by(
        Reply.id.desc()).first()
    if reply is None or reply.submitted_at is None:
        raise DomainError(N_("没有待审核的答复。"))
    return reply


@rolls_back
def approve_reply(case, *, actor, now):
    _own_unit(case, actor)
    reply = _pending_reply(case)
    case.approve_reply(actor=actor, at=now)
    reply.approved_by_id, reply.approved_at = actor.id, now
    return _commit(case)


@rolls_back
def send_back(case, *, actor, reason, now):
    """The leader (or the office, after approval) sends a reply back for rework."""
    if not access.is_office(actor):
        _own_unit(case, actor)
    reply = _pending_reply(case)
    case.send_back(actor=actor, reason=reason, at=now)
    reply.submitted_at, reply.approved_by_id, reply.approved_at = None, None, None
    return _commit(case)


@rolls_back
def release_reply(case, *, actor, now):
    """The office releases the approved reply: the citizen can read it now (已答复)."""
    reply = _pending_reply(case)
    if reply.approved_at is None:
        raise DomainError(N_("答复尚未经科室负责人审核。"))
    case.release_reply(actor=actor, replied_on=local_date(now), at=now)
    reply.released_at = now
    mail_bodies.replied(case, reply, now)
    return _commit(case)


@rolls_back
def request_extension(case, *, actor, days, reason, now):
    """The unit leader asks for more time once; the office decides."""
    _own_unit(case, actor)
    if not access.is_leader(actor):
        raise DomainError(N_("只有科室负责人可以申请延期。"))
    if case.extended or case.extension_days_requested:
        raise DomainError(N_("每件事项只能申请延期一次。"))
    if Status(case.status) not in WITH_UNIT:
        raise DomainError(N_("该事项当前不能申请延期。"))
    policy = deadline_policy()
    if not policy.extension_allowed(days):
        raise DomainError(N_("延期天数应为 1 至 %(n)d 个工作日。"), n=policy.extension_max)
    case.request_extension(days, reason=reason, actor=actor, at=now)
    return _commit(case)


@rolls_back
def decide_extension(case, *, actor, approve, now):
    """Approve: the deadline moves and the citizen sees the reason. Refuse: the clock stands."""
    if not access.is_office(actor):
        raise DomainError(N_("延期由评议办审批。"))
    if not case.extension_days_requested:
        raise DomainError(N_("没有待审批的延期申请。"))
    if approve:
        case.approve_extension(policy=deadline_policy(), actor=actor, at=now)
    else:
        case.refuse_extension(actor=actor, at=now)
    return _commit(case)


@rolls_back
def reopen_case(case, *, actor, reason, note="", now):
    """Send an unsatisfied case back for handling again (重办) with a new deadline. ``reason``
    is what the citizen reads; ``note`` is for staff only."""
    if not last_rating_unsatisfied(case.id):
        raise DomainError(N_("只有评价为不满意的事项可以重办。"))
    case.reopen(policy=deadline_policy(), actor=actor, reason=reason, note=note,
                today=local_date(now), at=now)
    mail_bodies.reopened(case, reason, now)
    return _commit(case)


@rolls_back
def close_case(case, *, actor, now):
    """The office closes (办结) a rated case."""
    case.close(actor=actor, at=now)
    return _commit(case)
