"""Use cases of the Open311 API: a partner files a case (through the web form's own path), and
anyone reads the public list of cases. Misconduct reports (举报) are never read back."""

import secrets

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import selectinload

from models import Case, CaseEvent, Channel, Kind, db
from models.workflow import UNANSWERED
from portal.services import intake

MAX_RESULTS = 1000  # the spec's default volume: 90 days or the first 1000, whichever is less


def file_api_request(*, key, fields, note, now):
    """File a case for the partner holding ``key``; returns (case, query code). The case is
    made by intake.file_case, like a web filing: same deadlines, same first event."""
    fields = fields | {"channel": Channel.API.value, "api_key_id": key.id,
                       "api_token": secrets.token_hex(16)}
    return intake.file_case(fields=fields, note=f"Open311: {key.name}\n{note}".strip(), now=now)


def _last_event_at():
    return (select(func.max(CaseEvent.at)).where(CaseEvent.case_id == Case.id)
            .correlate(Case).scalar_subquery())


def _public(stmt):
    """Only what may be shown: no misconduct report, ever."""
    return (stmt.where(Case.kind != Kind.REPORT.value)
            .options(selectinload(Case.topic), selectinload(Case.unit)))


def public_requests(*, numbers=None, services=None, start=None, end=None, statuses=None):
    """(case, updated at) pairs, newest first. ``numbers`` overrides every other filter, as
    the spec says; ``services`` is a list of (kind, topic id or None)."""
    stmt = _public(select(Case, _last_event_at()))
    if numbers is not None:
        stmt = stmt.where(Case.number.in_(numbers))
    else:
        stmt = stmt.where(Case.received_at >= start, Case.received_at <= end)
        if services is not None:
            wanted = [and_(Case.kind == kind, Case.topic_id == topic_id)
                      for kind, topic_id in services]
            stmt = stmt.where(or_(*wanted) if wanted else false())
        if statuses is not None and len(statuses) == 1:
            unanswered = Case.status.in_([s.value for s in UNANSWERED])
            stmt = stmt.where(unanswered if "open" in statuses else ~unanswered)
    stmt = stmt.order_by(Case.received_at.desc(), Case.id.desc()).limit(MAX_RESULTS)
    return db.session.execute(stmt).all()


def public_request(number):
    """(case, updated at) of one case that may be shown, else None."""
    stmt = _public(select(Case, _last_event_at())).where(Case.number == number)
    return db.session.execute(stmt).first()


def number_for_token(token):
    return db.session.scalar(select(Case.number).where(Case.api_token == token))
