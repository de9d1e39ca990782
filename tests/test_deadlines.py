"""Working days on China's calendar and the deadline policy: pure, no database."""

from datetime import date

import pytest

from models import DomainError, WorkCalendar
from models.deadlines import REPLY_WORKING_DAYS, DeadlinePolicy, deadline_mark

CAL = WorkCalendar({})


@pytest.mark.parametrize(
    "start, days, due",
    [
        # Received on a Saturday: day 0 is that Saturday; 9/20 is a weekend workday (调休) and
        # 9/25-27 is the Mid-Autumn holiday in 2026.
        (date(2026, 9, 19), 5, date(2026, 9, 24)),
        (date(2026, 2, 13), 5, date(2026, 2, 27)),  # 2/14 Sat is worked, Spring Festival 2/15-23
        (date(2026, 9, 30), 2, date(2026, 10, 9)),  # National Day 10/1-7, 10/8 Thu, 10/9 Fri
        (date(2026, 7, 1), 2, date(2026, 7, 3)),
        (date(2026, 7, 3), 1, date(2026, 7, 6)),  # Friday + 1 = Monday
        (date(2026, 7, 1), 0, date(2026, 7, 1)),
    ],
)
def test_add_working_days_on_the_2026_calendar(start, days, due):
    assert CAL.add_working_days(start, days) == (due, True)


def test_override_wins_over_the_package():
    cal = WorkCalendar({date(2026, 7, 2): False, date(2026, 7, 4): True})
    assert cal.add_working_days(date(2026, 7, 1), 2) == (date(2026, 7, 4), True)


def test_unknown_year_falls_back_to_weekdays_and_says_so():
    due, known = CAL.add_working_days(date(2031, 1, 2), 3)  # Thursday
    assert due == date(2031, 1, 7) and known is False


def test_working_days_between():
    assert CAL.working_days_between(date(2026, 9, 30), date(2026, 10, 9)) == 2
    assert CAL.working_days_between(date(2026, 7, 3), date(2026, 7, 1)) == 0


def test_default_time_limits_per_kind():
    assert REPLY_WORKING_DAYS["consultation"] == 5
    assert REPLY_WORKING_DAYS["suggestion"] == 10
    assert REPLY_WORKING_DAYS["complaint"] == REPLY_WORKING_DAYS["report"] == 15


def test_memo_recomputes_only_after_its_period():
    from uuid import uuid4

    from portal.web.process_cache import remember

    key = f"k-test-{uuid4()}"  # the memo lives as long as the process: a run of its own
    calls, now = [], [100.0]
    compute = lambda: calls.append(1) or len(calls)  # noqa: E731
    clock = lambda: now[0]  # noqa: E731
    assert remember(key, 60, compute, clock) == 1
    now[0] = 159.0
    assert remember(key, 60, compute, clock) == 1
    now[0] = 161.0
    assert remember(key, 60, compute, clock) == 2
    assert remember(key, 0, compute, clock) == 3


POLICY = DeadlinePolicy(calendar=CAL, reply_days=dict(REPLY_WORKING_DAYS), acceptance_days=2,
                        extension_max=15, due_soon_days=3, rating_window=20)


def test_the_policy_marks_overdue_and_due_soon_in_working_days():
    today = date(2026, 9, 23)  # Wednesday; Mid-Autumn 25-27, so 3 working days reach Tue 29
    soon = POLICY.due_soon_until(today)
    assert soon == date(2026, 9, 29)
    assert deadline_mark("in_progress", date(2026, 9, 22), today, soon) == "overdue"
    assert deadline_mark("in_progress", date(2026, 9, 29), today, soon) == "due-soon"
    assert deadline_mark("in_progress", date(2026, 9, 30), today, soon) == ""
    assert deadline_mark("replied", date(2026, 9, 22), today, soon) == ""  # the clock stopped


def test_the_policy_counts_acceptance_replies_and_extensions():
    # Friday 18 September + 2: Sunday 20 is a worked day (调休), then Monday 21.
    assert POLICY.acceptance_due(date(2026, 9, 18)) == (date(2026, 9, 21), True)
    # A suggestion, 10 working days from Wednesday 23 September: 24, 28, 29, 30, then after
    # National Day 8, 9, Saturday 10 (worked), 12, 13, 14.
    assert POLICY.reply_due("suggestion", date(2026, 9, 23)) == (date(2026, 10, 14), True)
    assert POLICY.extended_due(date(2026, 7, 3), 1) == (date(2026, 7, 6), True)
    with pytest.raises(DomainError) as refused:
        POLICY.extended_due(date(2026, 7, 3), 16)
    assert str(refused.value) == "延期天数超出允许范围。"


def test_an_extension_may_take_every_day_up_to_the_maximum_and_not_one_more():
    assert [POLICY.extension_allowed(d) for d in (None, 0, 1, 14, 15, 16)] == [
        False, False, True, True, True, False]
    # 15 working days from Friday 3 July 2026: 6-10, 13-17, 20-24 July.
    assert POLICY.extended_due(date(2026, 7, 3), 15) == (date(2026, 7, 24), True)


def test_the_rating_window_is_20_working_days_after_the_reply():
    # Replied Friday 3 July: the 20th working day after it is Friday 31 July.
    assert POLICY.rating_open(date(2026, 7, 3), date(2026, 7, 31)) is True
    assert POLICY.rating_open(date(2026, 7, 3), date(2026, 8, 3)) is False
