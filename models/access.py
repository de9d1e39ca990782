"""Who may see what of a case, and which units may receive it.

The one place for these rules: services refuse with them, templates and downloads show with
them. (Who may open a case at all is still ``portal.auth.may_see``.)
"""

from pathlib import PurePosixPath

from models.case import Kind
from models.i18n import N_
from models.workflow import Role

FULL, MASKED, HIDDEN = "full", "masked", "hidden"

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
    if viewer.is_office:
        return FULL
    if case.kind == Kind.REPORT:
        return HIDDEN
    if Role(viewer.role) is Role.LEADER or case.handler_id == viewer.id:
        return FULL
    return MASKED


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


def may_keep_inspections(viewer):
    """Inspection records, their findings and supervisors' codes are the office's (and the
    administrator's): a record names the supervisor, whom units must not learn."""
    return viewer.is_office


def sees_supervisor_name(viewer):
    """A supervisor's name is for the office only: never for units, never for the public."""
    return viewer.is_office
