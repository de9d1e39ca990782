"""One stamp that changes whenever reference data changes: units, topics, the campaign and its
phases, calendar overrides, time limits, notices. Every worker keeps its own copy of that data
(and of the public pages made from it) and asks only for the stamp, which is one primary-key
read, to know whether its copy is still current.

The stamp is a random token, not a counter: a table emptied and filled again (tests, a restore)
can never bring back a value some worker already holds for other data.
"""

import secrets

from sqlalchemy import String, event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import db
from models.deadlines import CalendarOverride, TimeLimit
from models.notices import Notice, NoticeAttachment
from models.org import Campaign, CampaignPhase, Topic, Unit

WATCHED = (Unit, Topic, Campaign, CampaignPhase, CalendarOverride, TimeLimit, Notice,
           NoticeAttachment)
STAMP_ID = 1


class ReferenceStamp(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


class LocalChanges:
    """How many flushes in this process touched reference data: this worker's own changes show
    at once, without waiting for its next look at the stamp."""

    count = 0


def read_stamp(session):
    """The current token; '' where the row does not exist yet."""
    return session.scalar(select(ReferenceStamp.token).where(ReferenceStamp.id == STAMP_ID)) or ""


def renew_stamp(session):
    """A new token, in the caller's transaction: it becomes visible to other workers when (and
    only if) the change that asked for it commits."""
    token = secrets.token_hex(16)
    table = ReferenceStamp.__table__
    done = session.connection().execute(
        update(table).where(table.c.id == STAMP_ID).values(token=token))
    if done.rowcount == 0:
        session.add(ReferenceStamp(id=STAMP_ID, token=token))
    LocalChanges.count += 1
    return token


def _touches_reference(session):
    return any(isinstance(obj, WATCHED)
               for group in (session.new, session.dirty, session.deleted) for obj in group)


@event.listens_for(Session, "before_flush")
def _renew_on_change(session, _flush_context, _instances):
    # Every ORM change to reference data passes here, whichever service made it, so no service
    # can forget to tell the other workers.
    if _touches_reference(session):
        renew_stamp(session)
