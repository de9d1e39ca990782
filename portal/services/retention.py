"""Personal data retention: contact details and attachments of cases finished longer ago than
the retention period are erased; the case text and its history are kept (the history records
the erasure). Run by `flask purge-personal-data`, a dry run unless told to apply."""

from dataclasses import dataclass

from sqlalchemy import delete

from models import Attachment, db
from models.retention import CONTACT_FIELDS, PURGE_ACTION, due_cases
from models.workflow import Role
from portal.abuse import uploads


@dataclass(frozen=True)
class Erasure:
    """What is (or would be) erased from one case: field names and a count, never the values."""

    number: str
    finished_at: object
    fields: tuple
    attachments: int


def _erasure(case, finished_at):
    return Erasure(case.number, finished_at, tuple(f for f in CONTACT_FIELDS if getattr(case, f)),
                   len(case.attachments))


def purge_personal_data(*, now, retention_days, upload_folder, apply=False):
    """The erasures due (dry run), or done and committed with one history event per case.

    Files are removed after the commit: a failed commit must not leave rows without files.
    """
    found = [(case, _erasure(case, at)) for case, at in due_cases(now=now,
                                                                  retention_days=retention_days)]
    if not apply:
        return [e for _c, e in found]
    files = []
    for case, erasure in found:
        files += [a.stored_name for a in case.attachments]
        for field in CONTACT_FIELDS:
            setattr(case, field, "")
        db.session.execute(delete(Attachment).where(Attachment.case_id == case.id))
        db.session.expire(case, ["attachments"])
        note = (f"erased after {retention_days} days: "
                f"{', '.join(erasure.fields) or 'no contact details'}; "
                f"{erasure.attachments} attachments")
        case.record(PURGE_ACTION, role=Role.SYSTEM, note=note, at=now)
        # Issue 11: a published letter keeps its redacted copy; when letters exist, erase only
        # the unredacted original here and leave the published, redacted text untouched.
    db.session.commit()
    uploads.remove(upload_folder, files)
    return [e for _c, e in found]
