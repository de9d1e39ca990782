"""Reading the list filters and the page cursor from the query string, leniently: a bad value
is dropped with a message rather than failing the page."""

from datetime import date

from flask import current_app
from flask_babel import gettext as _

from models import Channel, Kind, Status, load_calendar, utcnow
from models.queues import CaseFilter
from models.supervision import escalation_cutoff
from portal.services.clock import deadline_policy, local_date

PAGE_SIZE = 50


def parse_id(value):
    """An id from the address (a filter, a cursor), or None. isdecimal, not isdigit: "²" is a
    digit that int() refuses (a 500 on ?unit=²)."""
    return int(value) if value and value.isdecimal() and len(value) < 10 else None


def _date(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _choice(value, enum):
    return value if value in {m.value for m in enum} else None


DEADLINE_WINDOWS = ("overdue", "soon", "escalated")


def deadline_window(name):
    """The due-date bounds of a named window as of today: overdue (due before today), due soon
    (today to the end of the deadline policy's due-soon horizon) or escalated (overdue by more
    than the configured days)."""
    if name not in DEADLINE_WINDOWS:
        return {}
    today, calendar = local_date(utcnow()), load_calendar()
    if name == "overdue":
        return {"due_before": today}
    if name == "soon":
        return {"due_from": today, "due_by": deadline_policy().due_soon_until(today)}
    days = current_app.config["ESCALATION_WORKING_DAYS"]
    return {"due_before": escalation_cutoff(today, days, calendar)}


def parse_filter(args):
    """A CaseFilter from request args, and the names of the args that were not understood."""
    window = deadline_window(args.get("due"))
    extension = args.get("extension") == "pending"
    f = CaseFilter(
        **window,
        extension_pending=extension,
        unit_id=parse_id(args.get("unit")),
        kind=_choice(args.get("kind"), Kind),
        channel=_choice(args.get("channel"), Channel),
        status=_choice(args.get("status"), Status),
        topic_id=parse_id(args.get("topic")),
        received_from=_date(args.get("from")),
        received_to=_date(args.get("to")),
    )
    names = ("unit", "kind", "channel", "status", "topic", "from", "to", "due", "extension")
    given = {k for k in names if args.get(k)}
    understood = {
        "unit": f.unit_id, "kind": f.kind, "channel": f.channel, "status": f.status,
        "topic": f.topic_id, "from": f.received_from, "to": f.received_to,
        "due": window or None, "extension": extension or None,
    }
    bad = sorted(k for k in given if understood[k] is None)
    return f, bad


def parse_cursor(value):
    """'YYYY-MM-DD.id' -> (date, id), or None."""
    day, _, case_id = (value or "").partition(".")
    parsed, number = _date(day), parse_id(case_id)
    return (parsed, number) if parsed and number else None


def cursor_of(case):
    return f"{case.due_on.isoformat()}.{case.id}"


def bad_filter_message(bad):
    return _("以下筛选条件无效，已忽略：%(names)s", names="、".join(bad))
