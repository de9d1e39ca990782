"""Public statistics: computed by a command every few minutes, read by the page."""

from datetime import timedelta
from typing import NamedTuple

from flask import current_app
from sqlalchemy import delete

from models import StatsSnapshot, db, figure_rollup
from models.report_figures import bureau_overview, latest_snapshot, public_stats
from portal.services.clock import local_date
from portal.services.reports import figures_as_of
from portal.services.transaction import rolls_back

SNAPSHOT_MAX_AGE = timedelta(minutes=15)


class PublicStats(NamedTuple):
    """What /stats shows: ``figures`` by unit id and "bureau"; ``as_of``, the instant they
    describe; ``live``, whether the overdue and not-routed counts are newer than that (counted
    now beside a roll-up refreshed at ``as_of``)."""

    figures: dict
    as_of: object
    live: bool = False


def period(now):
    today = local_date(now)
    return today.replace(month=1, day=1), today


def compute(start, end):
    """Per unit (by id) and, under "bureau", for the whole bureau; ``end`` is today. From the
    roll-up where the config says so (as of its last refresh; overdue and unrouted live)."""
    rollup = current_app.config["FIGURES_FROM_ROLLUP"]
    return (public_stats(start, end, today=end, from_rollup=rollup)
            | {"bureau": bureau_overview(start, end, end, from_rollup=rollup)})


@rolls_back
def refresh_public_stats(*, now):
    """Refresh the roll-up the report pages read too, compute this year's figures from it and
    keep them; older snapshots are dropped."""
    figure_rollup.refresh(db.session, now)
    start, end = period(now)
    figures = {str(key): counts for key, counts in compute(start, end).items()}
    db.session.execute(delete(StatsSnapshot).where(StatsSnapshot.computed_at < now))
    db.session.add(StatsSnapshot(period_start=start, period_end=end, computed_at=now,
                                 figures=figures))
    db.session.commit()
    return figures


def current_public_stats(*, now):
    """The latest snapshot if it is recent, else the figures computed now (and not kept), as
    a PublicStats: a visitor is told how old the figures are."""
    start, end = period(now)
    snapshot = latest_snapshot(start, end, now - SNAPSHOT_MAX_AGE)
    if snapshot is not None:
        return PublicStats(*snapshot)
    refreshed = figures_as_of()  # None where the received counts are computed now
    return PublicStats(compute(start, end), refreshed or now, live=refreshed is not None)
