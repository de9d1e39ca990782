"""The deadline policy: working days on China's calendar, the time limits of a case, the
statuses in which its clock runs, overdue and due-soon marks, extensions and the rating window.

Convention, stated on the public site: day 0 is the day an item is received (or the clock is
restarted); the deadline is the end of the Nth working day after it. Statutory holidays and the
weekend days worked in lieu (调休) come from the ``chinesecalendar`` package, which publishes each
year's State Council notice; an override row wins over it. For a year the package does not know,
Monday to Friday counts as working days and callers show a warning.

The bureau's numbers of days (acceptance, extension maximum, due-soon horizon, rating window)
are configuration (``config.py``) and reach this module as a ``DeadlinePolicy``; the reply limits
per kind are reference data the administrator edits (``TimeLimit``).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar
from sqlalchemy import Boolean, Date, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from models.base import DomainError, db
from models.i18n import N_
from models.workflow import UNANSWERED, Status

# Working days to reply, by kind of case, until the administrator changes them; defaults from
# common 12345 and mailbox rules (consultation 5, suggestion 10, complaint and report 15).
REPLY_WORKING_DAYS = {
    "consultation": 5,
    "suggestion": 10,
    "complaint": 15,
    "report": 15,
    "praise": 10,
}
# The clock runs until a reply reaches the citizen: only these statuses are overdue or due soon.
CLOCK_RUNS = UNANSWERED


class CalendarOverride(db.Model):
    """An administrator's correction of one day: a working day or a rest day."""

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(100), default="")


@lru_cache(maxsize=4096)
def _published(day):
    """The State Council's answer for ``day`` as the package holds it (True: a working day),
    None for a year it does not cover. Kept per process: the package's data never changes
    while it runs, and each of its answers scans its whole holiday table (~20 µs), several
    times for every deadline counted."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


@dataclass(frozen=True)
class WorkCalendar:
    """Answers "is this a working day" from overrides first, then the package, then Mon-Fri."""

    overrides: dict

    def knows(self, day):
        return day in self.overrides or _published(day) is not None

    def is_workday(self, day):
        if day in self.overrides:
            return self.overrides[day]
        published = _published(day)
        return day.weekday() < 5 if published is None else published

    def add_working_days(self, start, days):
        """The Nth working day after ``start`` (day 0), and whether every day was known."""
        if days < 0:
            raise DomainError(N_("工作日数不能为负数"))
        day, counted, known = start, 0, True
        while counted < days:
            day += timedelta(days=1)
            known = known and self.knows(day)
            if self.is_workday(day):
                counted += 1
        return day, known

    def working_days_between(self, start, end):
        """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_workday(day)
        return count


def load_calendar():
    rows = db.session.scalars(select(CalendarOverride)).all()
    return WorkCalendar({row.day: row.is_workday for row in rows})


class TimeLimit(db.Model):
    """The administrator's reply time limit for one kind of case, overriding the default."""

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    working_days: Mapped[int] = mapped_column(Integer)


def time_limits():
    """Working days to reply, by kind: the defaults with the administrator's changes applied."""
    limits = dict(REPLY_WORKING_DAYS)
    limits.update({row.kind: row.working_days for row in db.session.scalars(select(TimeLimit))})
    return limits



def deadline_mark(status, due_on, today, soon):
    """"overdue", "due-soon" or "" for a case whose clock runs; answered ones have no clock.
    ``soon`` is the last day of the due-soon horizon (``DeadlinePolicy.due_soon_until``)."""
    if Status(status) not in CLOCK_RUNS or due_on is None:
        return ""
    if due_on < today:
        return "overdue"
    return "due-soon" if due_on <= soon else ""


@dataclass(frozen=True)
class DeadlinePolicy:
    """Every deadline question a case, a list, a digest or a form asks, answered in one place."""

    calendar: WorkCalendar
    reply_days: dict  # by kind: time_limits()
    acceptance_days: int
    extension_max: int
    due_soon_days: int
    rating_window: int

    def acceptance_due(self, received_on):
        """(date, calendar known) by which a new case is accepted or refused."""
        return self.calendar.add_working_days(received_on, self.acceptance_days)

    def reply_due(self, kind, start):
        """(date, calendar known) by which a case of ``kind`` whose clock starts on ``start``
        is answered: acceptance counts from the day of receipt, a reopening from its own day."""
        return self.calendar.add_working_days(start, self.reply_days[kind])

    def extension_allowed(self, days):
        return days is not None and 1 <= days <= self.extension_max

    def extended_due(self, due_on, days):
        """The deadline moved on by an approved extension of ``days`` working days."""
        if not self.extension_allowed(days):
            raise DomainError(N_("延期天数超出允许范围。"))
        return self.calendar.add_working_days(due_on, days)

    def due_soon_until(self, today):
        """The last day still "due soon": the due-soon horizon counted in working days."""
        return self.calendar.add_working_days(today, self.due_soon_days)[0]

    def rating_open(self, replied_on, today):
        """Whether a reply released on ``replied_on`` may still be rated on ``today``."""
        return self.calendar.working_days_between(replied_on, today) <= self.rating_window
