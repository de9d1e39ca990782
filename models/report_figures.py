"""The figures a self-assessment report and the public statistics are made of, computed from
the cases, ratings, answers and the ledger; nothing is typed in by hand."""

from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import JSON, BigInteger, Date, and_, cast, func, or_, select
from sqlalchemy import case as when
from sqlalchemy.orm import Mapped, mapped_column

from models import figure_rollup
from models.appraisal import Questionnaire, tallies
from models.base import UTCDateTime, db
from models.case import Case, Channel, Kind, unanswered_only
from models.deadlines import CLOCK_RUNS, WorkCalendar
from models.figure_rollup import latest_ratings  # noqa: F401  (re-exported)
from models.rectification import Problem, Progress
from models.reply import RatingValue
from models.workflow import Status


def period_of(campaign, as_of):
    """Cases of the campaign's year received up to ``as_of``."""
    return date(campaign.year, 1, 1), min(as_of, date(campaign.year, 12, 31))


def _status_in(statuses):
    return Case.status.in_([s.value for s in statuses])


def _counter(calendar, first, last):
    """working_days_between for many pairs at once: a running count of working days from
    ``first`` to ``last``, so each pair costs one subtraction."""
    counts = _running_counts(tuple(sorted(calendar.overrides.items())), first, last)

    def between(start, end):
        return counts[end] - counts[start] if end > start else 0

    between.counts = counts  # the running counts themselves, for sums done in the database
    return between


@lru_cache(maxsize=64)
def _running_counts(overrides, first, last):
    """Kept per process (a year costs ~10 ms of calendar look-ups); the administrator's
    overrides are part of the key, so a changed calendar is counted anew."""
    calendar = WorkCalendar(dict(overrides))
    running, day, counts = 0, first, {}
    while day <= last:
        counts[day] = running
        day += timedelta(days=1)
        running += calendar.is_workday(day)
    return counts


def _sum(col):
    # As an integer: PostgreSQL sums counts as numeric, which would come back as Decimal.
    return cast(func.coalesce(func.sum(col), 0), BigInteger)


def _sums(source, names, *where):
    return select(*(_sum(source.c[n]).label(n) for n in names)).where(*where)


def case_figures(unit_id, start, end, calendar, as_of, from_rollup=False):
    """The unit's cases received from ``start`` to ``end``. With ``from_rollup`` (the pages), on
    PostgreSQL from the roll-up as of its last refresh, except unanswered and overdue, which are
    always counted now; otherwise computed directly from the cases."""
    return units_case_figures([unit_id], start, end, calendar, as_of, from_rollup)[unit_id]


def units_case_figures(unit_ids, start, end, calendar, as_of, from_rollup=False):
    """``case_figures`` of several units at once (the office's summary): one grouped query per
    kind of figure instead of one per unit."""
    days = figure_rollup.days(db.session, from_rollup)
    names = [n for n in figure_rollup.DAY_COLUMNS if n != "last_replied"]
    stmt = (_sums(days, names, days.c.unit_id.in_(unit_ids), days.c.received_on >= start,
                  days.c.received_on <= end)
            .add_columns(func.max(days.c.last_replied), days.c.unit_id).group_by(days.c.unit_id))
    counts, last_replied = {}, [end]
    for row in db.session.execute(stmt):
        counts[row[-1]] = dict(zip(names, row[:-2], strict=True))
        last_replied.append(row[-2] or end)
    live = {u: (n, late) for u, n, late in db.session.execute(
        select(Case.unit_id, func.count(),
               func.count(when((and_(_status_in(CLOCK_RUNS), Case.due_on < as_of), 1))))
        .where(unanswered_only(), Case.unit_id.in_(unit_ids), Case.received_on >= start,
               Case.received_on <= end).group_by(Case.unit_id))}
    # Up to today as well: a reply released between these queries still has its day counted.
    working_days = _counter(calendar, start, max([*last_replied, as_of]))
    day_sums = _day_sums(figure_rollup.pairs(db.session, from_rollup), working_days, unit_ids,
                         start, end)
    zeros = dict.fromkeys(names, 0)
    return {u: _case_dict(counts.get(u, zeros), *live.get(u, (0, 0)), day_sums.get(u, 0))
            for u in unit_ids}


def _case_dict(counts, unanswered, overdue, day_sum):
    ratings = {v.value: counts[f"rated_{v.value}"] for v in RatingValue}
    replied_n = counts["replied"]
    return {
        "total": counts["total"],
        "by_kind": {k.value: counts[f"kind_{k.value}"] for k in Kind},
        "by_channel": {c.value: counts[f"channel_{c.value}"] for c in Channel},
        "replied": replied_n,
        "replied_on_time": counts["on_time"],
        "unanswered": unanswered,
        "overdue": overdue,
        "avg_working_days": round(day_sum / replied_n, 1) if replied_n else None,
        "ratings": ratings | {"none": counts["answered"] - sum(ratings.values())},
    }


def _day_sums(pairs, working_days, unit_ids, start, end):
    """Working days from receipt to reply, summed per unit over its replied cases: the sum of
    the running count on each reply day less that on each receipt day, so the database hands
    over one row per unit and day (reply days, then receipt days), never one per pair."""
    scope = (pairs.c.unit_id.in_(unit_ids), pairs.c.received_on >= start,
             pairs.c.received_on <= end, pairs.c.replied_on > pairs.c.received_on)
    running, totals = working_days.counts, {}
    for day, sign in ((pairs.c.replied_on, 1), (pairs.c.received_on, -1)):
        stmt = (select(pairs.c.unit_id, day, _sum(pairs.c.n)).where(*scope)
                .group_by(pairs.c.unit_id, day))
        for unit_id, d, n in db.session.execute(stmt):
            totals[unit_id] = totals.get(unit_id, 0) + sign * running[d] * n
    return totals


def questionnaire_figures(campaign_id, unit_id, topics):
    """Per questionnaire of the campaign: the unit's rate and score per topic and overall,
    withheld (None) below the questionnaire's minimum number of answers."""
    return units_questionnaire_figures(campaign_id, [unit_id], topics)[unit_id]


def units_questionnaire_figures(campaign_id, unit_ids, topics):
    out = {u: [] for u in unit_ids}
    stmt = select(Questionnaire).where(Questionnaire.campaign_id == campaign_id)
    for q in db.session.scalars(stmt.order_by(Questionnaire.id)):
        counts = tallies(q.id)
        weights = (q.weight_satisfied, q.weight_basically, q.weight_unsatisfied)
        for unit_id in unit_ids:
            rows = []
            for topic in [*topics, None]:
                tally = counts.get((unit_id, topic.id if topic else None))
                enough = tally is not None and tally.answers >= q.min_answers
                rows.append({
                    "topic": topic.name if topic else None,
                    "answers": tally.answers if tally else 0,
                    "rate": round(tally.satisfaction_rate() * 100, 1)
                    if enough and tally.rated else None,
                    "score": round(tally.weighted_score(weights), 1)
                    if enough and tally.rated else None,
                })
            out[unit_id].append({"title": q.title, "rows": rows})
    return out


def problem_figures(campaign_id, unit_id, as_of):
    return units_problem_figures(campaign_id, [unit_id], as_of)[unit_id]


def units_problem_figures(campaign_id, unit_ids, as_of):
    stmt = select(Problem).where(Problem.campaign_id == campaign_id,
                                 Problem.unit_id.in_(unit_ids))
    problems = {u: [] for u in unit_ids}
    for problem in db.session.scalars(stmt):
        problems[problem.unit_id].append(problem)
    return {u: {
        "total": len(mine),
        "by_progress": {p.value: sum(x.progress == p for x in mine) for p in Progress},
        "overdue": sum(x.overdue(as_of) for x in mine),
    } for u, mine in problems.items()}


def unit_figures(unit_id, campaign, topics, calendar, as_of, from_rollup=False):
    return units_figures([unit_id], campaign, topics, calendar, as_of, from_rollup)[unit_id]


def units_figures(unit_ids, campaign, topics, calendar, as_of, from_rollup=False):
    """Each unit's figures for its self-assessment report, by unit id."""
    start, end = period_of(campaign, as_of)
    cases = units_case_figures(unit_ids, start, end, calendar, as_of, from_rollup)
    questionnaires = units_questionnaire_figures(campaign.id, unit_ids, topics)
    problems = units_problem_figures(campaign.id, unit_ids, as_of)
    return {u: {"period": [start.isoformat(), end.isoformat()], "cases": cases[u],
                "questionnaires": questionnaires[u], "problems": problems[u]} for u in unit_ids}


def public_stats(start, end, today=None, from_rollup=False):
    """Per unit: received, replied, replied on time, rated and satisfied-or-basically, summed
    from the roll-up by unit and day (``from_rollup``: on PostgreSQL as of its last refresh);
    with ``today``, also the unit's unanswered cases past their deadline now (whenever they were
    received), always counted live."""
    days = figure_rollup.days(db.session, from_rollup)
    names = ("total", "replied", "on_time", "rated_any", "satisfied_any")
    stmt = (_sums(days, names, days.c.unit_id.is_not(None), days.c.received_on >= start,
                  days.c.received_on <= end)
            .add_columns(days.c.unit_id).group_by(days.c.unit_id))
    rows = {u: {"received": n, "replied": r, "on_time": t, "rated": rated, "satisfied": good}
            for n, r, t, rated, good, u in db.session.execute(stmt)}
    if today is not None:
        for row in rows.values():
            row["overdue"] = 0
        for unit_id, overdue in db.session.execute(_overdue_by_unit(today)):
            rows.setdefault(unit_id, {"received": 0, "replied": 0, "on_time": 0, "rated": 0,
                                      "satisfied": 0})["overdue"] = overdue
    return rows


def _overdue_by_unit(today):
    return (select(Case.unit_id, func.count())
            .where(unanswered_only(), Case.due_on < today, Case.unit_id.is_not(None))
            .group_by(Case.unit_id))


def bureau_overview(start, end, today, from_rollup=False):
    """The whole bureau: cases received in the period (routed or not; from the roll-up with
    ``from_rollup``), unanswered cases past their deadline now, and cases not yet routed to a
    section (waiting to be accepted or assigned, or returned by a section), both live."""
    days = figure_rollup.days(db.session, from_rollup)
    received = db.session.execute(_sums(days, ("total",), days.c.received_on >= start,
                                        days.c.received_on <= end)).scalar()
    # Returned cases are unanswered too: both counts read only the partial index.
    not_routed = or_(Case.unit_id.is_(None), Case.status == Status.RETURNED.value)
    overdue, unrouted = db.session.execute(select(
        func.count(when((Case.due_on < today, 1))), func.count(when((not_routed, 1))),
    ).where(unanswered_only())).one()
    return {"received": received, "overdue": overdue, "unrouted": unrouted}


class StatsSnapshot(db.Model):
    """Public statistics computed ahead of time by a command, so that no visitor waits for a
    year of cases to be aggregated."""

    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    figures: Mapped[dict] = mapped_column(JSON)  # unit id (as text) -> counts


def latest_snapshot(start, end, not_before):
    """(figures, when they were computed) of the period's latest snapshot computed at or
    after ``not_before``; None if there is none."""
    stmt = select(StatsSnapshot).where(
        StatsSnapshot.period_start == start, StatsSnapshot.period_end == end,
        StatsSnapshot.computed_at >= not_before).order_by(StatsSnapshot.id.desc()).limit(1)
    snapshot = db.session.scalars(stmt).first()
    if snapshot is None:
        return None
    # Unit ids were stored as text (JSON keys); "bureau" holds the whole bureau's figures.
    figures = {int(key) if key.isdigit() else key: counts
               for key, counts in snapshot.figures.items()}
    return figures, snapshot.computed_at
