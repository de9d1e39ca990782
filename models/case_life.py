"""A case's life as the domain's moves: filing, accepting, assigning, signing, replying, rating,
reopening, extending, closing.

Each move changes the case through ``Case.move_to`` (the only status writer) or, when no
status changes, ``Case.record``; both write the history row through the one private event
writer in models/case.py, so every move leaves exactly one event. Deadlines come from the
``DeadlinePolicy`` (models/deadlines.py) the caller passes in; time is always an argument.
Who may see the case and which unit may receive it are checked by the callers (models/access.py).
"""

from models.workflow import Role, Status


def _role(actor, role):
    """The role a move is made in: the staff member's own, or a pseudo-role (citizen, system)."""
    return Role(role) if role is not None else Role(actor.role)


class CaseLife:
    """Mixed into ``Case``: the moves of its life, each one event."""

    def file(self, *, policy, received_on, actor=None, note="", at):
        """The first line of every history: the case is received (by a citizen, or by staff
        typing in a call or a letter, or through a partner's API: ``note`` names it) and the
        acceptance clock starts."""
        role = Role.CITIZEN if actor is None else Role(actor.role)
        self.received_at, self.received_on = at, received_on
        self.accept_due_on, self.calendar_known = policy.acceptance_due(received_on)
        self.due_on = self.accept_due_on  # the clock that runs now; the reply's once accepted
        self.created_by_id = actor.id if actor else None
        return self._write_event("submitted", None, Status.SUBMITTED, role=role, actor=actor,
                                 note=note, at=at)

    def accept(self, *, policy, actor=None, role=None, unit=None, note="", at):
        """Accept (受理): the reply clock counts from the day of receipt; with ``unit``, assign
        at once (one more event, as two things happened)."""
        self.move_to(Status.ACCEPTED, role=_role(actor, role), actor=actor, note=note, at=at)
        self._set_deadline(policy.reply_due(self.kind, self.received_on))
        if unit is not None:
            self.assign(unit, actor=actor, role=role, note=note, at=at)

    def refuse(self, *, actor, reason, at):
        """Not accepted (不予受理), with the explanation the citizen reads."""
        self.move_to(Status.NOT_ACCEPTED, role=_role(actor, None), actor=actor,
                     public_note=reason, at=at)

    def assign(self, unit, *, actor=None, role=None, note="", at):
        """Assign (交办) to a unit, or reassign a returned case; the unit names its handler."""
        event = self.move_to(Status.ASSIGNED, role=_role(actor, role), actor=actor, note=note,
                             at=at, action="assigned")
        event.unit_id = unit.id  # the history line names the unit it went to
        self.unit_id, self.handler_id = unit.id, None

    def sign(self, *, actor, at):
        """The unit signs for (签收) the case; the signer becomes its handler unless one is set."""
        self.move_to(Status.SIGNED, role=_role(actor, None), actor=actor, at=at)
        self.handler_id = self.handler_id or actor.id

    def return_to_office(self, *, actor, reason, at):
        """The unit returns (退回) a misrouted case to the office, saying why."""
        self.move_to(Status.RETURNED, role=_role(actor, None), actor=actor, note=reason, at=at)

    def start(self, *, actor, at):
        self.move_to(Status.IN_PROGRESS, role=_role(actor, None), actor=actor, at=at)

    def submit_reply(self, *, actor, at):
        """The draft goes to the unit leader for approval (答复待审核)."""
        self.move_to(Status.REPLY_DRAFTED, role=_role(actor, None), actor=actor, at=at)

    def approve_reply(self, *, actor, at):
        self.move_to(Status.REPLY_APPROVED, role=_role(actor, None), actor=actor, at=at)

    def send_back(self, *, actor, reason, at):
        """The reply goes back for rework, with the reason for its drafter."""
        self.move_to(Status.IN_PROGRESS, role=_role(actor, None), actor=actor, note=reason,
                     at=at, action="sent_back")

    def release_reply(self, *, actor, replied_on, at):
        """The citizen can read the reply now (已答复); the rating window opens."""
        self.move_to(Status.REPLIED, role=_role(actor, None), actor=actor, at=at)
        self.replied_at, self.replied_on = at, replied_on

    def rate(self, value, *, reason, at):
        self.move_to(Status.RATED, role=Role.CITIZEN, note=reason, at=at, action=f"rated:{value}")

    def close(self, *, actor, at):
        """The office closes (办结) a rated case."""
        self.move_to(Status.CLOSED, role=_role(actor, None), actor=actor, at=at)
        self.closed_at = at

    def close_unrated(self, *, at):
        """The rating window passed: closed as "not rated", never as satisfied."""
        self.move_to(Status.CLOSED, role=Role.SYSTEM, at=at, action="closed_unrated")
        self.closed_at = at

    def reopen(self, *, policy, actor, reason, today, at, note=""):
        """Handled again (重办) after an unsatisfied rating: a new reply clock from ``today``,
        a new extension may be asked, and the old reply no longer counts as the answer.
        ``reason`` is what the citizen reads; ``note`` is for staff only."""
        self.move_to(Status.REOPENED, role=_role(actor, None), actor=actor, public_note=reason,
                     note=note, at=at)
        self._set_deadline(policy.reply_due(self.kind, today))
        self.extended, self.replied_at, self.replied_on = False, None, None

    def name_handler(self, handler, *, actor, at):
        """The unit leader names the handler (承办人)."""
        self.handler_id = handler.id
        self.record("handler_set", role=_role(actor, None), actor=actor, note=handler.name, at=at)

    def add_note(self, text, *, actor, at):
        """An internal note: staff read it in the history, the citizen never does."""
        self.record("note", role=_role(actor, None), actor=actor, note=text, at=at)

    def request_extension(self, days, *, reason, actor, at):
        """The unit leader asks for ``days`` more working days; the office decides."""
        self.extension_days_requested, self.extension_reason = days, reason
        self.record("extension_requested", role=_role(actor, None), actor=actor,
                    note=f"{days} / {reason}", at=at)

    def approve_extension(self, *, policy, actor, at):
        """The deadline moves on and the citizen reads the reason; once per case. If the old
        deadline was a guess (a year the calendar does not know), the new one is too."""
        days, was_known = self.extension_days_requested, self.calendar_known
        self.due_on, known = policy.extended_due(self.due_on, days)
        self.calendar_known = known and was_known
        self.extended, self.extension_days_requested = True, None
        self.record("extended", role=_role(actor, None), actor=actor,
                    public_note=self.extension_reason, note=str(days), at=at)

    def refuse_extension(self, *, actor, at):
        """The clock stands; the request is cleared."""
        self.extension_days_requested = None
        self.record("extension_refused", role=_role(actor, None), actor=actor, at=at)

    def _set_deadline(self, due):
        """The running deadline and whether every day counted was in a year the calendar knows."""
        self.due_on, self.calendar_known = due
