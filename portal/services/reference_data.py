"""Reference data the administrator keeps: calendar overrides, time limits, canned replies."""

from models import CalendarOverride, CannedReply, TimeLimit, db
from models.case import Kind
from portal.abuse.html_cleaning import clean_reply_html
from portal.services.transaction import rolls_back


@rolls_back
def save_calendar_override(*, day, is_workday, note):
    """Mark one day as a working day or a rest day; the due dates already stored stay as they
    are (only events that change a clock recompute them)."""
    row = db.session.get(CalendarOverride, day) or CalendarOverride(day=day)
    row.is_workday, row.note = is_workday, note
    db.session.add(row)
    db.session.commit()
    return row


@rolls_back
def delete_calendar_override(*, day):
    row = db.session.get(CalendarOverride, day)
    if row is not None:
        db.session.delete(row)
        db.session.commit()


@rolls_back
def save_time_limits(*, limits):
    """``limits`` maps each kind to its working days for replies to new cases."""
    for kind, days in limits.items():
        row = db.session.get(TimeLimit, Kind(kind).value) or TimeLimit(kind=Kind(kind).value)
        row.working_days = days
        db.session.add(row)
    db.session.commit()


@rolls_back
def save_canned_reply(*, title, body_html, topic_id):
    row = CannedReply(title=title, body_html=clean_reply_html(body_html), topic_id=topic_id)
    db.session.add(row)
    db.session.commit()
    return row


@rolls_back
def delete_canned_reply(*, canned_id):
    row = db.session.get(CannedReply, canned_id)
    if row is not None:
        db.session.delete(row)
        db.session.commit()
