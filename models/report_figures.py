"""The figures a self-assessment report and the public statistics are made of, computed from
the cases, ratings, answers and the ledger; nothing is typed in by hand."""

from datetime import date, datetime, timedelta

from sqlalchemy import JSON, Date, and_, exists, func, or_, select
from sqlalchemy import case as when
from sqlalchemy.orm import Mapped, aliased, mapped_column

from models.appraisal import Questionnaire, tallies
from models.base import UTCDateTime, db
from models.case import Case, Channel, Kind, unanswered_only
from models.deadlines import CLOCK_RUNS
from models.rectification import Problem, Progress
from models.reply import Rating, RatingValue
from models.workflow import ANSWERED, UNANSWERED, Status


def period_of(campaign, as_of):
    """Cases of the campaign's year received up to ``as_of``."""
    return date(campaign.year, 1, 1), min(as_of, date(campaign.year, 12, 31))


def latest_ratings():
    """The latest rating of each case (a reopened case may have been rated twice), as a
    subquery with case_id and value."""
    newer = aliased(Rating)
    superseded = exists().where(newer.case_id == Rating.case_id, newer.id > Rating.id)
    # NOT EXISTS rather than max(id) GROUP BY: the planner joins it per case through the
    # case_id index instead of grouping every rating ever given.
    return select(Rating.case_id, Rating.value).where(~superseded).subquery()


def _status_in(statuses):
    return Case.status.in_([s.value for s in statuses])


def _counter(calendar, first, last):
    """working_days_between for many pairs at once: a running count of working days from
    ``first`` to ``last``, so each pair costs one subtraction."""
    running, day, counts = 0, first, {}
    while day <= last:
        counts[day] = running
        day += timedelta(days=1)
        running += calendar.is_workday(day)
    return lambda start, end: counts[end] - counts[start] if end > start else 0


def case_figures(unit_id, start, end, calendar, as_of):
    """The unit's cases received from ``start`` to ``end``, counted in the database."""
    scope = (Case.unit_id == unit_id, Case.received_on >= start, Case.received_on <= end)
    replied = Case.replied_on.is_not(None)
    # One pass over the unit's cases for every count; kinds and channels as conditional counts.
    columns = {
        "total": func.count(),
        "replied": func.count(when((replied, 1))),
        "on_time": func.count(when((and_(replied, Case.replied_on <= Case.due_on), 1))),
        "unanswered": func.count(when((_status_in(UNANSWERED), 1))),
        # Overdue as the deadline policy marks it: the clock runs and the day has passed.
        "overdue": func.count(when((and_(_status_in(CLOCK_RUNS), Case.due_on < as_of), 1))),
        "answered": func.count(when((_status_in(ANSWERED), 1))),
        **{f"kind:{k.value}": func.count(when((Case.kind == k.value, 1))) for k in Kind},
        **{f"channel:{c.value}": func.count(when((Case.channel == c.value, 1))) for c in Channel},
    }
    counts = dict(zip(columns, db.session.execute(
        select(*columns.values()).where(*scope)).one(), strict=True))
    pairs = db.session.execute(
        select(Case.received_on, Case.replied_on, func.count()).where(*scope, replied)
        .group_by(Case.received_on, Case.replied_on)).all()
    working_days = _counter(calendar, start, max([end, *(r for _, r, _ in pairs)]))
    day_sum = sum(working_days(received, answered) * n for received, answered, n in pairs)
    latest = latest_ratings()
    rated = dict(db.session.execute(
        select(latest.c.value, func.count()).join(Case, Case.id == latest.c.case_id)
        .where(*scope, _status_in(ANSWERED)).group_by(latest.c.value)).all())
    ratings = {v.value: rated.get(v.value, 0) for v in RatingValue}
    replied_n = counts["replied"]
    return {
        "total": counts["total"],
        "by_kind": {k.value: counts[f"kind:{k.value}"] for k in Kind},
        "by_channel": {c.value: counts[f"channel:{c.value}"] for c in Channel},
        "replied": replied_n,
        "replied_on_time": counts["on_time"],
        "unanswered": counts["unanswered"],
        "overdue": counts["overdue"],
        "avg_working_days": round(day_sum / replied_n, 1) if replied_n else None,
        "ratings": ratings | {"none": counts["answered"] - sum(ratings.values())},
    }


def questionnaire_figures(campaign_id, unit_id, topics):
    """Per questionnaire of the campaign: the unit's rate and score per topic and overall,
    withheld (None) below the questionnaire's minimum number of answers."""
    out = []
    stmt = select(Questionnaire).where(Questionnaire.campaign_id == campaign_id)
    for q in db.session.scalars(stmt.order_by(Questionnaire.id)):
        counts = tallies(q.id)
        weights = (q.weight_satisfied, q.weight_basically, q.weight_unsatisfied)
        rows = []
        for topic in [*topics, None]:
            tally = counts.get((unit_id, topic.id if topic else None))
            enough = tally is not None and tally.answers >= q.min_answers
            rows.append({
                "topic": topic.name if topic else None,
                "answers": tally.answers if tally else 0,
                "rate": round(tally.satisfaction_rate() * 100, 1)
                if enough and tally.rated else None,
                "score": round(tally.weighted_score(weights), 1) if enough and tally.rated else None,
            })
        out.append({"title": q.title, "rows": rows})
    return out


def problem_figures(campaign_id, unit_id, as_of):
    stmt = select(Problem).where(Problem.campaign_id == campaign_id, Problem.unit_id == unit_id)
    problems = db.session.scalars(stmt).all()
    return {
        "total": len(problems),
        "by_progress": {p.value: sum(x.progress == p for x in problems) for p in Progress},
        "overdue": sum(x.overdue(as_of) for x in problems),
    }


def unit_figures(unit_id, campaign, topics, calendar, as_of):
    start, end = period_of(campaign, as_of)
    return {
        "period": [start.isoformat(), end.isoformat()],
        "cases": case_figures(unit_id, start, end, calendar, as_of),
        "questionnaires": questionnaire_figures(campaign.id, unit_id, topics),
        "problems": problem_figures(campaign.id, unit_id, as_of),
    }


def public_stats(start, end, today=None):
    """Per unit: received, replied, replied on time, rated and satisfied-or-basically, computed
    in the database with one grouped query for cases and one for ratings; with ``today``, also
    the unit's unanswered cases past their deadline now (whenever they were received)."""

    replied = Case.replied_on.is_not(None)
    stmt = (
        select(
            Case.unit_id,
            func.count(),
            func.count(when((replied, 1))),
            func.count(when((and_(replied, Case.replied_on <= Case.due_on), 1))),
        )
        .where(Case.unit_id.is_not(None), Case.received_on >= start, Case.received_on <= end)
        .group_by(Case.unit_id)
    )
    rows = {u: {"received": n, "replied": r, "on_time": t, "rated": 0, "satisfied": 0}
            for u, n, r, t in db.session.execute(stmt)}
    good = (RatingValue.SATISFIED.value, RatingValue.BASICALLY.value)
    latest = latest_ratings()
    stmt = (
        select(Case.unit_id, func.count(), func.count(when((latest.c.value.in_(good), 1))))
        .join(latest, latest.c.case_id == Case.id)
        .where(Case.unit_id.is_not(None), Case.received_on >= start, Case.received_on <= end)
        .group_by(Case.unit_id)
    )
    for unit_id, rated, satisfied in db.session.execute(stmt):
        rows.setdefault(unit_id, {"received": 0, "replied": 0, "on_time": 0})
        rows[unit_id].update(rated=rated, satisfied=satisfied)
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


def bureau_overview(start, end, today):
    """The whole bureau: cases received in the period (routed or not), unanswered cases past
    their deadline now, and cases not yet routed to a section (waiting to be accepted or
    assigned, or returned by a section)."""
    not_routed = or_(and_(Case.unit_id.is_(None), _status_in(UNANSWERED)),
                     Case.status == Status.RETURNED.value)
    received, overdue, unrouted = db.session.execute(select(
        func.count(when((and_(Case.received_on >= start, Case.received_on <= end), 1))),
        func.count(when((and_(_status_in(UNANSWERED), Case.due_on < today), 1))),
        func.count(when((not_routed, 1))),
    )).one()
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
    stmt = select(StatsSnapshot).where(
        StatsSnapshot.period_start == start, StatsSnapshot.period_end == end,
        StatsSnapshot.computed_at >= not_before).order_by(StatsSnapshot.id.desc()).limit(1)
    snapshot = db.session.scalars(stmt).first()
    if snapshot is None:
        return None
    # Unit ids were stored as text (JSON keys); "bureau" holds the whole bureau's figures.
    return {int(key) if key.isdigit() else key: counts for key, counts in snapshot.figures.items()}
