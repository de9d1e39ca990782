"""Permissions: who may see which cases, problems and reports, who may take which step, which
units receive cases, and how much of the person who raised a case a viewer sees.

The one place for these rules: services refuse with them, views and templates (as template
globals, see portal/web/templating.py) ask them, downloads show with them. The role sets of the
transition table live with it in models/workflow.py; the portal asks for them here.
"""

from pathlib import PurePosixPath

from sqlalchemy import and_, true

from models.case import Case, Kind
from models.i18n import N_
from models.workflow import LEADER, OFFICE, UNANSWERED, UNIT, WITH_UNIT, Role, Status

FULL, MASKED, HIDDEN = "full", "masked", "hidden"

# The role sets views require (staff_required(*access.OFFICE_ROLES)).
OFFICE_ROLES = OFFICE  # the appraisal office and the administrator: every unit's cases
ADMIN_ROLES = frozenset({Role.ADMIN})  # users, units, calendar, time limits
LEADER_ROLES = LEADER  # the unit leader: names handlers, asks for extensions, writes the report
UNIT_ROLES = UNIT  # leaders and handlers: the staff of one unit, who must belong to one


def is_office(user):
    """The office (and the administrator) see and steer every unit's cases."""
    return Role(user.role) in OFFICE_ROLES


def is_admin(user):
    return Role(user.role) in ADMIN_ROLES


def is_leader(user):
    return Role(user.role) in LEADER_ROLES


def case_fence(user):
    """The unit whose cases ``user`` sees: None for the office (every unit), else the user's own
    unit id, or -1 (no unit, no cases) for unit staff without one."""
    if is_office(user):
        return None
    return user.unit_id or -1


def may_see_unit(user, unit_id):
    """The own-unit fence: the office sees every unit, unit staff only their own."""
    fence = case_fence(user)
    return fence is None or fence == unit_id


def may_see(user, case):
    """Whether ``user`` may open ``case``: the office all, a unit its own."""
    return may_see_unit(user, case.unit_id)


def may_see_problem(user, problem):
    """A rectification problem belongs to its unit, like a case."""
    return may_see_unit(user, problem.unit_id)


def receives_cases(unit):
    """Whether ``unit`` is one the public and the office can route cases to: every appraised
    unit. The office itself is not appraised and keeps what names no unit."""
    return bool(unit.appraised)


def receiving_units(units):
    """The units among ``units`` that receive cases (and are appraised), in the given order."""
    return [u for u in units if receives_cases(u)]


def units_for(user, units):
    """The receiving units ``user`` may record problems and reports for."""
    return [u for u in receiving_units(units) if may_see_unit(user, u.id)]


def may_draft_reply(user, case):
    """The unit's own staff draft the reply, while the case is being handled."""
    return (Role(user.role) in UNIT_ROLES and may_see(user, case)
            and Status(case.status) is Status.IN_PROGRESS)


def may_name_handler(user, case):
    """Only the unit leader names a handler, on a case of their unit that the unit holds."""
    return is_leader(user) and may_see(user, case) and Status(case.status) in WITH_UNIT


def may_handle(staff_user, case):
    """Who may be named the handler of ``case``: an active member of the unit that holds it."""
    return (staff_user is not None and bool(staff_user.active)
            and staff_user.unit_id is not None and staff_user.unit_id == case.unit_id)


def may_ask_extension(user, case):
    """Only the unit leader asks for an extension, once, while the unit holds the case."""
    return (may_name_handler(user, case) and not case.extended
            and not case.extension_days_requested)


def may_write_report(user, unit_id):
    """The self-assessment report is written by the leader of its own unit."""
    return is_leader(user) and user.unit_id == unit_id

# Shown instead of an attachment's own name, which may carry the complainant's name.
GENERIC_ATTACHMENT_NAME = N_("附件%(n)d")


def accused_unit_id(case):
    """The unit a report of misconduct accuses: the unit the reporter named. Other kinds accuse
    nobody, and a report that names no unit has no accused unit."""
    return case.target_unit_id if case.kind == Kind.REPORT else None


def _within(unit, ancestor_id):
    """Whether ``unit`` is the unit ``ancestor_id`` or one of its sub-units."""
    seen = set()
    while unit is not None and unit.id not in seen:
        if unit.id == ancestor_id:
            return True
        seen.add(unit.id)
        unit = unit.parent
    return False


def may_receive(case, unit):
    """Whether ``case`` may be assigned to ``unit``: never a report to the unit it accuses (nor
    to one of that unit's sub-units); the office keeps such a report or names another unit."""
    accused = accused_unit_id(case)
    return accused is None or not _within(unit, accused)


def contact_view(viewer, case):
    """How much of the person who raised the case ``viewer`` sees.

    FULL for the office; HIDDEN from every unit for a report of misconduct (the office alone
    holds the reporter, so the accused unit cannot learn it even if the report reached it);
    otherwise FULL for the unit leader and the case's own handler and MASKED for the unit's
    other staff.
    """
    if is_office(viewer):
        return FULL
    if case.kind == Kind.REPORT:
        return HIDDEN
    if is_leader(viewer) or case.handler_id == viewer.id:
        return FULL
    return MASKED


def contact_visible_clause(viewer):
    """``contact_view(viewer, case) == FULL`` as a SQL condition on ``Case``, for queries that
    match on contact details: a search by name or phone must find only cases whose contact
    details the searcher may read, or a hit would tell what the masking hides."""
    if is_office(viewer):
        return true()
    visible = Case.kind != Kind.REPORT.value
    if is_leader(viewer):
        return visible
    return and_(visible, Case.handler_id == viewer.id)


def sees_original_names(viewer, case):
    """Attachment names follow the contact details: a file called after its sender would tell
    what the masked contact details hide."""
    return contact_view(viewer, case) == FULL


def _untranslated(text, **variables):
    return text % variables


def shown_attachment_name(viewer, case, attachment, index=None, gettext=_untranslated):
    """The name ``viewer`` sees (and downloads under) for ``attachment``: its own name, or
    "附件N.ext" for those who may not see contact details (N its place among the case's
    attachments, from 1; ext from the stored file, which the server named). ``gettext``
    translates and fills in the generic name (flask_babel's, or a template's ``_``)."""
    if sees_original_names(viewer, case):
        return attachment.original_name
    if index is None:
        index = [a.id for a in case.attachments].index(attachment.id) + 1
    return gettext(GENERIC_ATTACHMENT_NAME, n=index) + PurePosixPath(attachment.stored_name).suffix


def sees_escalations(user):
    """The escalation list and its digest: the office, and members of the leadership group."""
    return is_office(user) or bool(getattr(user, "leadership", False))


def may_urge(user, case):
    """The office urges (催办) a unit's case while it waits for its answer."""
    return is_office(user) and case.unit_id is not None and Status(case.status) in UNANSWERED


def may_publish(viewer):
    """Publishing letters and notices speaks for the bureau: the appraisal office (and the
    administrator) only; units and handlers never."""
    return is_office(viewer)


def may_keep_inspections(viewer):
    """Inspection records, their findings and supervisors' codes are the office's (and the
    administrator's): a record names the supervisor, whom units must not learn."""
    return is_office(viewer)


def sees_supervisor_name(viewer):
    """A supervisor's name is for the office only: never for units, never for the public."""
    return is_office(viewer)
