"""Which steps a staff member may take on a case now, and the form and service of each."""

from models import Role, StaffUser, Status, access, db
from models.reply import last_rating_unsatisfied
from models.workflow import allowed_next
from portal.services import handling, supervision
from portal.staff import forms


def _reason(service):
    return lambda case, form, actor, now: service(case, actor=actor, reason=form.reason.data,
                                                  now=now)


def _plain(service):
    return lambda case, form, actor, now: service(case, actor=actor, now=now)


def _reply(case, form, actor, now):
    service = handling.submit_reply if form.submit_for_approval.data else handling.save_draft
    return service(case, actor=actor, body_html=form.body.data, now=now)


def _handler(case, form, actor, now):
    handler = db.session.get(StaffUser, form.handler.data) if form.handler.data else None
    return handling.set_handler(case, actor=actor, handler=handler, now=now)


# action -> (form class, call). Each call is exactly one service function.
ACTIONS = {
    "accept": (forms.AcceptForm, lambda c, f, a, n: handling.accept_case(
        c, actor=a, unit_id=f.unit.data, note=f.note.data, now=n)),
    "refuse": (forms.ReasonForm, lambda c, f, a, n: handling.refuse_case(
        c, actor=a, reason=f.reason.data, now=n)),
    "assign": (forms.AssignForm, lambda c, f, a, n: handling.assign_case(
        c, actor=a, unit_id=f.unit.data, note=f.note.data, now=n)),
    "sign": (forms.ConfirmForm, _plain(handling.sign_case)),
    "return": (forms.ReasonForm, _reason(handling.return_case)),
    "start": (forms.ConfirmForm, _plain(handling.start_case)),
    "reply": (forms.ReplyForm, _reply),
    "approve": (forms.ConfirmForm, _plain(handling.approve_reply)),
    "send_back": (forms.ReasonForm, _reason(handling.send_back)),
    "release": (forms.ConfirmForm, _plain(handling.release_reply)),
    "reopen": (forms.ReopenForm, lambda c, f, a, n: handling.reopen_case(
        c, actor=a, reason=f.reason.data, note=f.note.data or "", now=n)),
    "urge": (forms.UrgeForm, lambda c, f, a, n: supervision.urge_case(
        c, actor=a, note=f.note.data, now=n)),
    "close": (forms.ConfirmForm, _plain(handling.close_case)),
    "note": (forms.NoteForm, lambda c, f, a, n: handling.add_note(
        c, actor=a, text=f.text.data, now=n)),
    "handler": (forms.HandlerForm, _handler),
    "extension": (forms.ExtensionRequestForm, lambda c, f, a, n: handling.request_extension(
        c, actor=a, days=f.days.data, reason=f.reason.data, now=n)),
    "extension_decision": (forms.ExtensionDecisionForm, lambda c, f, a, n:
                           handling.decide_extension(c, actor=a,
                                                     approve=f.decision.data == "approve", now=n)),
}

# The step that moves a case to each status (IN_PROGRESS has two: start and send back).
_BY_TARGET = {
    Status.ACCEPTED: "accept",
    Status.NOT_ACCEPTED: "refuse",
    Status.ASSIGNED: "assign",
    Status.SIGNED: "sign",
    Status.RETURNED: "return",
    Status.REPLY_DRAFTED: "reply",
    Status.REPLY_APPROVED: "approve",
    Status.REPLIED: "release",
    Status.REOPENED: "reopen",
    Status.CLOSED: "close",
}


def available(case, user):
    """The steps ``user`` may take on ``case`` now, in the order the page shows them."""
    role, status = Role(user.role), Status(case.status)
    steps = []
    for target in allowed_next(status, role):
        if target is Status.IN_PROGRESS:
            steps.append("start" if status in (Status.SIGNED, Status.REOPENED) else "send_back")
        elif target is Status.REOPENED and not last_rating_unsatisfied(case.id):
            continue
        else:
            steps.append(_BY_TARGET[target])
    if access.may_draft_reply(user, case):
        steps.append("reply")
    if access.may_name_handler(user, case):
        steps.append("handler")
    if access.may_ask_extension(user, case):
        steps.append("extension")
    if access.is_office(user) and case.extension_days_requested:
        steps.append("extension_decision")
    if access.may_urge(user, case):
        steps.append("urge")
    steps.append("note")
    return list(dict.fromkeys(steps))

