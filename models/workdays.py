"""Working days on China's calendar, with the administrator's overrides, and case time limits.

Convention, stated on the public site: day 0 is the day an item is received (or the clock is
restarted); the deadline is the end of the Nth working day after it. Statutory holidays and the
weekend days worked in lieu (调休) come from the ``chinesecalendar`` package, which publishes each
year's State Council notice; an override row wins over it. For a year the package does not know,
Monday to Friday counts as working days and callers show a warning.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from sqlalchemy import Boolean, Date, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from models.base import DomainError, db
from models.i18n import N_

# Working days allowed, by kind of case; defaults from common 12345 and mailbox rules
# (consultation 5, suggestion 10, complaint and report 15). Acceptance is due in 2 for every kind.
ACCEPTANCE_WORKING_DAYS = 2
REPLY_WORKING_DAYS = {
    "consultation": 5,
    "suggestion": 10,
    "complaint": 15,
    "report": 15,
    "praise": 10,
}
EXTENSION_MAX_WORKING_DAYS = 15
RATING_WINDOW_WORKING_DAYS = 20
DUE_SOON_WORKING_DAYS = 3


class CalendarOverride(db.Model):
    """An administrator's correction of one day: a working day or a rest day."""

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(100), default="")


@dataclass(frozen=True)
class WorkCalendar:
    """Answers "is this a working day" from overrides first, then the package, then Mon-Fri."""

    overrides: dict

    def knows(self, day):
        if day in self.overrides:
            return True
        try:
            chinese_calendar.is_workday(day)
        except NotImplementedError:
            return False
        return True

    def is_workday(self, day):
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            return day.weekday() < 5

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


def reply_working_days(kind):
    return time_limits()[kind]
