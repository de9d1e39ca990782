"""The figures a self-assessment report and the public statistics are made of, computed from
the cases, ratings, answers and the ledger; nothing is typed in by hand."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, and_, func, select
from sqlalchemy import case as when
from sqlalchemy.orm import Mapped, mapped_column

from .appraisal import Questionnaire, tallies
from .base import UTCDateTime, db
from .case import Case, Channel, Kind
from .rectification import Problem, Progress
from .reply import Rating, RatingValue
from .workflow import ANSWERED, UNANSWERED


def period_of(campaign, as_of):
    """Cases of the campaign's year received up to ``as_of``."""
    return date(campaign.year, 1, 1), min(as_of, date(campaign.year, 12, 31))


def _unit_cases(unit_id, start, end):
    stmt = select(Case).where(Case.unit_id == unit_id, Case.received_on >= start,
                              Case.received_on <= end)
    return db.session.scalars(stmt).all()


def _latest_ratings(case_ids):
    """The latest rating of each case, by case id."""
    if not case_ids:
        return {}
    stmt = select(Rating).where(Rating.case_id.in_(case_ids)).order_by(Rating.id)
    return {r.case_id: r.value for r in db.session.scalars(stmt)}


def case_figures(cases, calendar, as_of):
    replied = [c for c in cases if c.replied_on is not None]
    on_time = [c for c in replied if c.due_on is None or c.replied_on <= c.due_on]
    unanswered = [c for c in cases if c.status in {s.value for s in UNANSWERED}]
    days = [calendar.working_days_between(c.received_on, c.replied_on) for c in replied]
    ratings = _latest_ratings([c.id for c in cases])
    answered = [c for c in cases if c.status in {s.value for s in ANSWERED}]
    rating_counts = {v.value: 0 for v in RatingValue} | {"none": 0}
    for case in answered:
        rating_counts[ratings.get(case.id, "none")] += 1
    return {
        "total": len(cases),
        "by_kind": {k.value: sum(c.kind == k for c in cases) for k in Kind},
        "by_channel": {ch.value: sum(c.channel == ch for c in cases) for ch in Channel},
        "replied": len(replied),
        "replied_on_time": len(on_time),
        "unanswered": len(unanswered),
        "overdue": sum(c.due_on is not None and c.due_on < as_of for c in unanswered),
        "avg_working_days": round(sum(days) / len(days), 1) if days else None,
        "ratings": rating_counts,
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
        "cases": case_figures(_unit_cases(unit_id, start, end), calendar, as_of),
        "questionnaires": questionnaire_figures(campaign.id, unit_id, topics),
        "problems": problem_figures(campaign.id, unit_id, as_of),
    }


def received_per_unit(start, end):
    stmt = (select(Case.unit_id, func.count()).where(
        Case.unit_id.is_not(None), Case.received_on >= start, Case.received_on <= end)
        .group_by(Case.unit_id))
    return dict(db.session.execute(stmt).all())


def public_stats(start, end):
    """Per unit: received, replied, replied on time, rated and satisfied-or-basically, computed
    in the database with one grouped query for cases and one for ratings."""

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
    stmt = (
        select(Case.unit_id, func.count(), func.count(when((Rating.value.in_(good), 1))))
        .join(Rating, Rating.case_id == Case.id)
        .where(Case.unit_id.is_not(None), Case.received_on >= start, Case.received_on <= end)
        .group_by(Case.unit_id)
    )
    for unit_id, rated, satisfied in db.session.execute(stmt):
        rows.setdefault(unit_id, {"received": 0, "replied": 0, "on_time": 0})
        rows[unit_id].update(rated=rated, satisfied=satisfied)
    return rows


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
    return {int(unit_id): counts for unit_id, counts in snapshot.figures.items()}
