"""Exact values for the case figures and public statistics counted in the database: received,
answered, on time, ratings, overdue and unrouted cases, per section and bureau-wide, and their
snapshots. Each expected value is worked out by hand from the cases the test files through the
real services; `make mutants` runs these too."""

from datetime import UTC, date, datetime

from models import StatsSnapshot, db
from models.report_figures import latest_snapshot, public_stats
from portal.services import handling, rating
from tests.factories import NOW, answer_on, make_case, morning_of, staff, unit

S, B, U = "satisfied", "basically_satisfied", "unsatisfied"


# --- public statistics ----------------------------------------------------------------------




def test_public_stats_per_unit_with_the_latest_rating_of_each_case(ctx):
    land, comp = unit("land").id, unit("compilation").id
    # land: five cases received 1 July; due dates: complaints 15 working days, consultations 5.
    on_time, _ = make_case()
    answer_on(on_time, date(2026, 7, 6))
    rating.rate_case(on_time, value="satisfied", reason="", now=morning_of(date(2026, 7, 7)))
    late, _ = make_case(kind="consultation")  # due 8 July, answered 9 July
    answer_on(late, date(2026, 7, 9))
    rating.rate_case(late, value="basically_satisfied", reason="", now=morning_of(date(2026, 7, 10)))
    rerated, _ = make_case()  # unsatisfied, reopened, answered again, then satisfied
    answer_on(rerated, date(2026, 7, 6))
    rating.rate_case(rerated, value="unsatisfied", reason="没解决", now=morning_of(date(2026, 7, 7)))
    handling.reopen_case(rerated, actor=staff("office"), reason="复核", now=morning_of(date(2026, 7, 7)))
    answer_on(rerated, date(2026, 7, 8))
    rating.rate_case(rerated, value="satisfied", reason="", now=morning_of(date(2026, 7, 9)))
    unhappy, _ = make_case()
    answer_on(unhappy, date(2026, 7, 6))
    rating.rate_case(unhappy, value="unsatisfied", reason="太慢", now=morning_of(date(2026, 7, 7)))
    waiting, _ = make_case()
    handling.accept_case(waiting, actor=staff("office"), unit_id=land, now=NOW)
    # compilation: one case received 30 June, answered, not rated.
    earlier, _ = make_case(now=datetime(2026, 6, 30, 2, tzinfo=UTC))
    answer_on(earlier, date(2026, 7, 2), "compilation")
    make_case()  # not routed yet: belongs to no unit
    make_case(now=datetime(2026, 7, 2, 2, tzinfo=UTC))  # after the period

    july_first = public_stats(date(2026, 6, 30), date(2026, 7, 1))
    assert july_first == {
        land: {"received": 5, "replied": 4, "on_time": 3, "rated": 4, "satisfied": 3},
        comp: {"received": 1, "replied": 1, "on_time": 1, "rated": 0, "satisfied": 0},
    }
    # Both ends included, each day on its own.
    assert public_stats(date(2026, 6, 30), date(2026, 6, 30)) == {
        comp: {"received": 1, "replied": 1, "on_time": 1, "rated": 0, "satisfied": 0}}
    assert public_stats(date(2026, 7, 3), date(2026, 7, 31)) == {}


def test_latest_snapshot_of_the_period_not_older_than_asked(ctx):
    start, end = date(2026, 1, 1), date(2026, 7, 1)
    rows = [
        StatsSnapshot(period_start=start, period_end=end, computed_at=morning_of(date(2026, 7, 1), 1),
                      figures={"3": {"received": 1}}),
        StatsSnapshot(period_start=start, period_end=end, computed_at=morning_of(date(2026, 7, 1), 3),
                      figures={"3": {"received": 2}, "12": {"received": 5}}),
        StatsSnapshot(period_start=start, period_end=date(2026, 7, 2),
                      computed_at=morning_of(date(2026, 7, 2), 3), figures={"3": {"received": 9}}),
    ]
    db.session.add_all(rows)
    db.session.flush()
    newest = ({3: {"received": 2}, 12: {"received": 5}}, datetime(2026, 7, 1, 3, tzinfo=UTC))
    assert latest_snapshot(start, end, morning_of(date(2026, 7, 1), 0)) == newest
    # computed exactly at the limit still counts
    assert latest_snapshot(start, end, morning_of(date(2026, 7, 1), 3)) == newest
    assert latest_snapshot(start, end, morning_of(date(2026, 7, 1), 4)) is None
    assert latest_snapshot(date(2026, 1, 2), end, morning_of(date(2026, 6, 1))) is None
    assert latest_snapshot(start, date(2026, 7, 2), morning_of(date(2026, 6, 1))) == (
        {3: {"received": 9}}, datetime(2026, 7, 2, 3, tzinfo=UTC))


def test_case_figures_count_each_answer_of_a_day_and_only_the_units_ratings(ctx):
    from models.report_figures import case_figures
    from portal.services.clock import deadline_policy

    land = unit("land").id
    # Three complaints received Wednesday 1 July: two answered Monday 6 July (3 working days
    # each: 2, 3, 6 July), one answered Thursday 9 July (6 working days); each rated differently.
    pair = [make_case()[0], make_case()[0]]
    for case in pair:
        answer_on(case, date(2026, 7, 6))
    later, _ = make_case()
    answer_on(later, date(2026, 7, 9))
    for case, value in zip([*pair, later], [S, U, B], strict=True):
        rating.rate_case(case, value=value, reason="慢", now=morning_of(date(2026, 7, 10)))
    # Another unit's rated case counts for that unit only.
    elsewhere, _ = make_case()
    answer_on(elsewhere, date(2026, 7, 6), "compilation")
    rating.rate_case(elsewhere, value=U, reason="慢", now=morning_of(date(2026, 7, 10)))

    calendar = deadline_policy().calendar
    figures = case_figures(land, date(2026, 1, 1), date(2026, 12, 31), calendar, date(2026, 7, 10))
    assert figures["total"] == 3
    assert figures["replied"] == 3
    assert figures["avg_working_days"] == 4.0  # (3 + 3 + 6) / 3
    assert figures["ratings"] == {S: 1, B: 1, U: 1, "none": 0}


def test_public_stats_of_the_day_count_overdue_cases_of_any_period(ctx):
    land, comp, survey = unit("land").id, unit("compilation").id, unit("survey").id
    office = staff("office")

    def consultation(day, unit_id):
        case, _ = make_case(kind="consultation", now=morning_of(day))
        handling.accept_case(case, actor=office, unit_id=unit_id, now=morning_of(day))
        return case

    # land: consultations received 1 and 2 June, unanswered: due 8 and 9 June, overdue on 10
    # July, though land received nothing in the period asked about.
    consultation(date(2026, 6, 1), land)
    consultation(date(2026, 6, 2), land)
    # land: one received 1 June and answered late on 2 July: answered, so not overdue now.
    answer_on(make_case(kind="consultation", now=morning_of(date(2026, 6, 1)))[0], date(2026, 7, 2))
    # land: one received Friday 3 July is due Friday 10 July: not yet overdue that day.
    consultation(date(2026, 7, 3), land)
    # survey: one received 1 June, unanswered.
    consultation(date(2026, 6, 1), survey)
    # Never accepted (due 3 June): overdue, but it belongs to no section.
    make_case(now=morning_of(date(2026, 6, 1)))
    # compilation: one received 1 July and answered: nothing overdue.
    answer_on(make_case()[0], date(2026, 7, 2), "compilation")

    nothing = {"received": 0, "replied": 0, "on_time": 0, "rated": 0, "satisfied": 0}
    assert public_stats(date(2026, 6, 30), date(2026, 7, 1), today=date(2026, 7, 10)) == {
        comp: {"received": 1, "replied": 1, "on_time": 1, "rated": 0, "satisfied": 0,
               "overdue": 0},
        land: nothing | {"overdue": 2},
        survey: nothing | {"overdue": 1},
    }


def test_latest_snapshot_keeps_the_bureau_row_under_its_name(ctx):
    start, end = date(2026, 1, 1), date(2026, 7, 1)
    db.session.add(StatsSnapshot(period_start=start, period_end=end,
                                 computed_at=morning_of(date(2026, 7, 1)),
                                 figures={"3": {"received": 2}, "bureau": {"received": 7}}))
    db.session.flush()
    assert latest_snapshot(start, end, morning_of(date(2026, 6, 30))) == (
        {3: {"received": 2}, "bureau": {"received": 7}}, morning_of(date(2026, 7, 1)))


def test_bureau_overview_counts_received_overdue_and_not_routed_cases(ctx):
    from models.report_figures import bureau_overview

    land, office = unit("land").id, staff("office")
    # A consultation received Monday 1 June, assigned, unanswered: due 8 June.
    old, _ = make_case(kind="consultation", now=morning_of(date(2026, 6, 1)))
    handling.accept_case(old, actor=office, unit_id=land, now=NOW)
    # One received 1 June too, answered late on 2 July: past its date but answered.
    answer_on(make_case(kind="consultation", now=morning_of(date(2026, 6, 1)))[0], date(2026, 7, 2))
    # Received Tuesday 30 June (the period's first day), never accepted: due Thursday 2 July.
    make_case(now=morning_of(date(2026, 6, 30)))
    # Received 1 July and never accepted: due for acceptance Friday 3 July.
    make_case()
    # Two received 1 July and answered.
    for _ in range(2):
        answer_on(make_case()[0], date(2026, 7, 2))
    # Received 1 July, returned by the section: its reply is due 22 July.
    returned, _ = make_case()
    handling.accept_case(returned, actor=office, unit_id=land, now=NOW)
    handling.return_case(returned, actor=staff("land_lead"), reason="不属本科", now=NOW)
    # Received Thursday 2 July (after the period), not accepted: due Monday 6 July.
    make_case(now=morning_of(date(2026, 7, 2)))
    # Received 2 July and assigned at once: routed, its reply due 23 July.
    routed, _ = make_case(now=morning_of(date(2026, 7, 2)))
    handling.accept_case(routed, actor=office, unit_id=land, now=morning_of(date(2026, 7, 2)))
    # Received 2 July and refused (不予受理): settled, nobody's to route.
    refused, _ = make_case(now=morning_of(date(2026, 7, 2)))
    handling.refuse_case(refused, actor=office, reason="不属于本局职责", now=morning_of(date(2026, 7, 2)))

    period = date(2026, 6, 30), date(2026, 7, 1)
    assert bureau_overview(*period, date(2026, 7, 4)) == {
        "received": 5,  # the one of 30 June and the four of 1 July
        "overdue": 3,  # due 8 June, 2 July and 3 July; the rest are due later or answered
        "unrouted": 4,  # the two of the period never accepted, the returned one, the later one
    }
    # The later one is due on Monday 6 July: overdue from Tuesday 7 July, not on the day.
    assert bureau_overview(*period, date(2026, 7, 6))["overdue"] == 3
    assert bureau_overview(*period, date(2026, 7, 7))["overdue"] == 4


def test_figures_of_several_units_keep_each_units_cases_and_the_period_apart(ctx):
    from models.report_figures import units_case_figures
    from portal.services.clock import deadline_policy

    land, comp, survey = unit("land").id, unit("compilation").id, unit("survey").id
    office = staff("office")
    # land, received Wednesday 1 July: a complaint answered Monday 6 July (3 working days) and
    # a consultation still unanswered, due 8 July.
    answer_on(make_case()[0], date(2026, 7, 6))
    waiting, _ = make_case(kind="consultation")
    handling.accept_case(waiting, actor=office, unit_id=land, now=NOW)
    # land, outside the one-day period: answered on 9 July but received 30 June; unanswered and
    # received 2 July.
    answer_on(make_case(now=morning_of(date(2026, 6, 30)))[0], date(2026, 7, 9))
    later, _ = make_case(now=morning_of(date(2026, 7, 2)))
    handling.accept_case(later, actor=office, unit_id=land, now=morning_of(date(2026, 7, 2)))
    # compilation, 1 July: one answered the next day, one consultation unanswered.
    answer_on(make_case()[0], date(2026, 7, 2), "compilation")
    other, _ = make_case(kind="consultation")
    handling.accept_case(other, actor=office, unit_id=comp, now=NOW)
    # survey: nothing at all.

    kinds = {"complaint": 0, "report": 0, "suggestion": 0, "consultation": 0, "praise": 0}
    channels = {"web": 0, "phone": 0, "letter": 0, "forum": 0, "visit": 0,
                "questionnaire": 0, "inspection": 0, "api": 0}
    none_rated = {"satisfied": 0, "basically_satisfied": 0, "unsatisfied": 0}
    calendar = deadline_policy().calendar
    figures = units_case_figures([land, comp, survey], date(2026, 7, 1), date(2026, 7, 1),
                                 calendar, date(2026, 7, 10))
    assert figures == {
        comp: {"total": 2, "by_kind": kinds | {"complaint": 1, "consultation": 1},
               "by_channel": channels | {"web": 2}, "replied": 1, "replied_on_time": 1,
               "unanswered": 1, "overdue": 1, "avg_working_days": 1.0,
               "ratings": none_rated | {"none": 1}},
        land: {"total": 2, "by_kind": kinds | {"complaint": 1, "consultation": 1},
               "by_channel": channels | {"web": 2}, "replied": 1, "replied_on_time": 1,
               "unanswered": 1, "overdue": 1, "avg_working_days": 3.0,
               "ratings": none_rated | {"none": 1}},
        survey: {"total": 0, "by_kind": kinds, "by_channel": channels, "replied": 0,
                 "replied_on_time": 0, "unanswered": 0, "overdue": 0, "avg_working_days": None,
                 "ratings": none_rated | {"none": 0}},
    }
    # Over 30 June - 1 July both sections have cases received on 1 July, a day whose running
    # count of working days is not zero: each section's days stay its own.
    two_days = units_case_figures([land, comp], date(2026, 6, 30), date(2026, 7, 1), calendar,
                                  date(2026, 7, 10))
    assert two_days[land]["avg_working_days"] == 5.0  # (3 + 7) / 2: 30 June to 9 July is 7
    assert two_days[comp]["avg_working_days"] == 1.0
