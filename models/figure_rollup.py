"""Roll-ups of the cases by unit and day of receipt, the rows the report figures and the public
statistics are summed from.

Each roll-up is one SELECT defined here. On SQLite (and for a report frozen at submission) the
figures read it as a subquery, i.e. computed directly from the cases; on PostgreSQL the pages
read materialized views holding the result of exactly these SELECTs, refreshed by
``flask refresh-stats`` (their migration holds these definitions as text; a PostgreSQL test
fails while the migrated views differ from these, and another checks view and direct
computation against hand-written cases). What changes by the minute, unanswered and overdue
cases, is never rolled up: it is counted live from the partial index of unanswered cases.
"""

from datetime import datetime

from sqlalchemy import Date, Integer, and_, column, event, exists, func, select, table, text
from sqlalchemy import case as when
from sqlalchemy.orm import aliased

from models.base import db
from models.case import Case, Channel, Kind, status_in
from models.reply import Rating, RatingValue
from models.workflow import ANSWERED, UNANSWERED

DAY_VIEW = "case_day_figures"
PAIR_VIEW = "case_reply_pairs"
# When the views were last refreshed: one row, written by the refresh only.
REFRESH_TABLE = "figures_refreshed"
GOOD = (RatingValue.SATISFIED.value, RatingValue.BASICALLY.value)


def latest_ratings():
    """The latest rating of each case (a reopened case may have been rated twice), as a
    subquery with case_id and value."""
    newer = aliased(Rating)
    superseded = exists().where(newer.case_id == Rating.case_id, newer.id > Rating.id)
    # NOT EXISTS rather than max(id) GROUP BY: the planner joins it per case through the
    # case_id index instead of grouping every rating ever given.
    return select(Rating.case_id, Rating.value).where(~superseded).subquery()


def day_counts():
    """Column name -> count expression, per unit and day of receipt."""
    latest = latest_ratings()
    replied = Case.replied_on.is_not(None)
    answered = status_in(ANSWERED)
    counts = {
        "total": func.count(),
        "replied": func.count(when((replied, 1))),
        "on_time": func.count(when((and_(replied, Case.replied_on <= Case.due_on), 1))),
        "answered": func.count(when((answered, 1))),
        **{f"kind_{k.value}": func.count(when((Case.kind == k.value, 1))) for k in Kind},
        **{f"channel_{c.value}": func.count(when((Case.channel == c.value, 1)))
           for c in Channel},
        # The report counts the latest rating of answered cases; the public page every rated
        # case's latest rating (a reopened one too).
        **{f"rated_{v.value}": func.count(when((and_(answered, latest.c.value == v.value), 1)))
           for v in RatingValue},
        "rated_any": func.count(latest.c.value),
        "satisfied_any": func.count(when((latest.c.value.in_(GOOD), 1))),
    }
    return counts, latest


def day_rollup():
    counts, latest = day_counts()
    return (select(Case.unit_id, Case.received_on, *(v.label(k) for k, v in counts.items()),
                   func.max(Case.replied_on).label("last_replied"))
            .outerjoin(latest, latest.c.case_id == Case.id)
            .group_by(Case.unit_id, Case.received_on))


def pair_rollup():
    """Replied cases per unit, day received and day replied: what the working days between
    receipt and reply are summed over."""
    return (select(Case.unit_id, Case.received_on, Case.replied_on, func.count().label("n"))
            .where(Case.replied_on.is_not(None))
            .group_by(Case.unit_id, Case.received_on, Case.replied_on))


DAY_COLUMNS = ("total", "replied", "on_time", "answered", *(f"kind_{k.value}" for k in Kind),
               *(f"channel_{c.value}" for c in Channel),
               *(f"rated_{v.value}" for v in RatingValue), "rated_any", "satisfied_any",
               "last_replied")


def _view(name, columns):
    dates = ("received_on", "replied_on", "last_replied")
    return table(name, *(column(c, Date if c in dates else Integer) for c in columns))


def rolled_up(session):
    """Whether the pages read the views (PostgreSQL) or compute directly (SQLite)."""
    return session.get_bind().dialect.name == "postgresql"


def days(session, from_view):
    if from_view and rolled_up(session):
        return _view(DAY_VIEW, ("unit_id", "received_on", *DAY_COLUMNS))
    return day_rollup().subquery()


def pairs(session, from_view):
    if from_view and rolled_up(session):
        return _view(PAIR_VIEW, ("unit_id", "received_on", "replied_on", "n"))
    return pair_rollup().subquery()


def refreshed_at(session):
    """When the views were last refreshed (None: the figures are computed directly)."""
    if not rolled_up(session):
        return None
    # Our own table name, a module constant: no outside text reaches this SQL.
    return session.execute(
        text(f"SELECT refreshed_at FROM {REFRESH_TABLE}")).scalar()  # noqa: S608  # nosec B608


def refresh(session, now: datetime):
    """Refresh the views without locking out readers (CONCURRENTLY: the old rows stay
    readable until the new ones are in). Nothing to do on SQLite."""
    if not rolled_up(session):
        return
    for name in (DAY_VIEW, PAIR_VIEW):
        session.execute(text(f"REFRESH MATERIALIZED VIEW CONCURRENTLY {name}"))
    session.execute(text(f"UPDATE {REFRESH_TABLE} SET refreshed_at = :now"),  # noqa: S608  # nosec B608
                    {"now": now})


def _compiled(stmt):
    from sqlalchemy.dialects import postgresql
    return str(stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))


# Unanswered cases by unit and day received, with what the live counts need beside the key:
# an index-only scan of a few per cent of the cases (the rest are answered).
COVER_INDEX = "ix_case_unanswered_cover"


def create_statements():
    """The PostgreSQL objects of the roll-up, which create_all runs. A change here needs a
    migration that brings it to deployed databases (tests/test_migrations.py tells)."""
    unanswered = str(status_in(UNANSWERED))
    return [
        f"CREATE MATERIALIZED VIEW {DAY_VIEW} AS {_compiled(day_rollup())}",
        f"CREATE UNIQUE INDEX ix_{DAY_VIEW} ON {DAY_VIEW} (unit_id, received_on)",
        f"CREATE MATERIALIZED VIEW {PAIR_VIEW} AS {_compiled(pair_rollup())}",
        f"CREATE UNIQUE INDEX ix_{PAIR_VIEW} ON {PAIR_VIEW} (unit_id, received_on, replied_on)",
        f"CREATE TABLE {REFRESH_TABLE} (refreshed_at TIMESTAMP WITH TIME ZONE NOT NULL)",
        f"INSERT INTO {REFRESH_TABLE} VALUES (now())",  # noqa: S608  # nosec B608
        f'CREATE INDEX {COVER_INDEX} ON "case" (unit_id, received_on) INCLUDE (due_on, status) '
        f"WHERE {unanswered}",
    ]


def drop_statements():
    return [f"DROP INDEX IF EXISTS {COVER_INDEX}", f"DROP TABLE IF EXISTS {REFRESH_TABLE}",
            f"DROP MATERIALIZED VIEW IF EXISTS {PAIR_VIEW}",
            f"DROP MATERIALIZED VIEW IF EXISTS {DAY_VIEW}"]


@event.listens_for(db.metadata, "after_create")
def _create(target, connection, **kw):
    if connection.dialect.name == "postgresql":
        for sql in create_statements():
            connection.exec_driver_sql(sql)


@event.listens_for(db.metadata, "before_drop")
def _drop(target, connection, **kw):
    if connection.dialect.name == "postgresql":
        for sql in drop_statements():
            connection.exec_driver_sql(sql)
