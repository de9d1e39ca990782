"""Writing a new case: its tracking number, its row, its first events and its attachments.

A filing is the portal's busiest write. Through the ORM's unit of work it took four round
trips (counter, case, event, attachments) and about half of the filing's time in flush
bookkeeping; here the objects the state machine built (``Case.file`` and the one event
writer, ``Case._write_event``) are written as they are, on PostgreSQL in one statement whose
common table expressions bump the counter, insert the case with its number, then its events
and files. The counter row is locked by that statement until the commit, the shortest time
it can be held; a rolled-back filing gives its number back, so numbers stay gap-free. A
filing with nothing after it in the same use case runs that statement in autocommit: it is
its own transaction, and no BEGIN or COMMIT travels. SQLite has no data-modifying CTEs: there
the same rows go in one statement each, in the caller's transaction.
"""

from functools import cache

from sqlalchemy import Integer, String, bindparam, cast, func, insert, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import make_transient_to_detached

from models.base import db
from models.case import Attachment, Case, CaseCounter, CaseEvent

DIGITS = 6  # a year's numbers are zero-padded to six digits, and grow past a million


def number_of(prefix, year, last):
    """The tracking number of a year's ``last``-th case: prefix, year, six digits or more."""
    return f"{prefix}{year}{last:0{DIGITS}d}"


def _number_sql(head, last):
    """``number_of`` in SQL (``head`` is prefix and year), for the one-statement write; tests
    hold the two equal."""
    digits = cast(last, String)
    return head + func.lpad(digits, func.greatest(DIGITS, func.length(digits)), "0")


def _bump(dialect):
    """Take the year's next number: an upsert, so the year's first filing needs no second try."""
    table = CaseCounter.__table__
    stmt = dialect.insert(table).values(year=bindparam("year", type_=Integer), last=1)
    return stmt.on_conflict_do_update(
        index_elements=[table.c.year], set_={"last": table.c.last + 1}
    ).returning(table.c.last)


def _dialect():
    return postgresql if db.engine.dialect.name == "postgresql" else sqlite


def next_number(year, prefix):
    """Allocate the next tracking number of ``year`` inside the caller's transaction, for a
    case the ORM writes (a questionnaire's opinion). The counter row stays locked until the
    commit, so two filings never get the same number, and a rollback gives it back."""
    last = db.session.execute(_bump(_dialect()), {"year": year}).scalar_one()
    return number_of(prefix, year, last)


@cache
def _columns(cls, skip):
    """(attribute, column name, default) of each column a new row of ``cls`` is given:
    reading the mapper for them cost more than the rest of a row."""
    return tuple((attr.key, attr.columns[0].name, attr.columns[0].default)
                 for attr in inspect(cls).column_attrs if attr.key not in skip)


def _row(obj, skip):
    """The column values of a new mapped object, its Python-side defaults filled in on the
    object too, so that nothing is loaded back after the write."""
    values = {}
    state = obj.__dict__
    for key, name, default in _columns(type(obj), skip):
        if key not in state:
            if default is None:
                value = None
            elif default.is_callable:
                value = default.arg(None)
            else:
                value = default.arg
            setattr(obj, key, value)
        values[name] = getattr(obj, key)
    return values


def write_new(case, *, year, prefix, alone=False):
    """Write ``case`` (not yet in the session) with its events and attachments, give it its
    number, and put it in the session as a loaded object: later steps of the same use case
    change it through the ORM, and the caller commits. A repeated unique key (the form key)
    raises IntegrityError as a flush would.

    ``alone``: nothing else belongs to this write, so on PostgreSQL its one statement commits
    by itself (autocommit, on a connection of its own) and is durable when this returns;
    BEGIN and COMMIT were two of a filing's three round trips. The caller's commit then has
    nothing of the case left to write (on SQLite it still writes everything). Returns whether
    the case is already durable, so that a caller whose own commit then fails keeps the files
    the stored case names."""
    case_row = _row(case, ("id", "number"))
    event_rows = [_row(event, ("id", "case_id")) for event in case.events]
    file_rows = [_row(item, ("id", "case_id")) for item in case.attachments]
    if db.engine.dialect.name == "postgresql":
        case_id, number, event_ids, file_ids = _write_in_one_statement(
            case_row, event_rows, file_rows, year, prefix, alone)
    else:
        case_id, number, event_ids, file_ids = _write_in_steps(
            case_row, event_rows, file_rows, year, prefix)
    case.id, case.number = case_id, number
    for items, ids in ((case.events, event_ids), (case.attachments, file_ids)):
        for item, item_id in zip(items, ids, strict=True):
            item.id, item.case_id = item_id, case_id
            make_transient_to_detached(item)
    make_transient_to_detached(case)
    db.session.add(case)
    return alone and db.engine.dialect.name == "postgresql"


def _slots(tag, table):
    """A bound parameter for each column a new row is given, named ``tag_column``."""
    return {column.name: bindparam(f"{tag}_{column.name}", type_=column.type)
            for column in table.columns if column.name not in ("id", "number", "case_id")}


def _params(tag, row):
    return {f"{tag}_{name}": value for name, value in row.items()}


# The statements are built once per shape (how many events and files) with bound parameters:
# building and compiling one costs more than running it.
@cache
def _one_statement(events, files):
    cases = Case.__table__
    counter = _bump(postgresql).cte("n")
    number = select(_number_sql(bindparam("head", type_=String), counter.c.last))
    new_case = insert(cases).values(number=number.scalar_subquery(), **_slots("c", cases))
    new_case = new_case.returning(cases.c.id, cases.c.number).cte("c")
    case_id = select(new_case.c.id).scalar_subquery()
    ids = []
    # One single-row INSERT per event and per file: SQLAlchemy caches the compiled form of
    # those, not of a multi-row VALUES.
    for tag, table, count in (("e", CaseEvent.__table__, events), ("a", Attachment.__table__, files)):
        for i in range(count):
            written = insert(table).values(**_slots(f"{tag}{i}", table), case_id=case_id)
            ids.append(select(written.returning(table.c.id).cte(f"{tag}{i}").c.id)
                       .scalar_subquery())
    return select(new_case.c.id, new_case.c.number, *ids)


def _write_in_one_statement(case_row, event_rows, file_rows, year, prefix, alone):
    params = {"year": year, "head": f"{prefix}{year}", **_params("c", case_row)}
    for tag, rows in (("e", event_rows), ("a", file_rows)):
        for i, row in enumerate(rows):
            params |= _params(f"{tag}{i}", row)
    statement = _one_statement(len(event_rows), len(file_rows))
    # A Core statement, not the ORM's execute path, which adds nothing to a plain INSERT but
    # a fifth of the write's CPU; on the session's own connection (same transaction) unless
    # the write stands alone. One statement is atomic: a failure leaves nothing written and
    # the number not taken.
    if alone:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            found = conn.execute(statement, params).one()
    else:
        found = db.session.connection().execute(statement, params).one()
    return found[0], found[1], found[2:2 + len(event_rows)], found[2 + len(event_rows):]


@cache
def _step_statements():
    cases, events, files = Case.__table__, CaseEvent.__table__, Attachment.__table__
    return (
        _bump(sqlite),
        insert(cases).values(number=bindparam("number", type_=String), **_slots("c", cases))
        .returning(cases.c.id),
        insert(events).values(**_slots("e", events), case_id=bindparam("case_id", type_=Integer))
        .returning(events.c.id),
        insert(files).values(**_slots("a", files), case_id=bindparam("case_id", type_=Integer))
        .returning(files.c.id),
    )


def _write_in_steps(case_row, event_rows, file_rows, year, prefix):
    bump, add_case, add_event, add_file = _step_statements()
    number = number_of(prefix, year, db.session.execute(bump, {"year": year}).scalar_one())
    case_id = db.session.execute(add_case, {"number": number, **_params("c", case_row)}
                                 ).scalar_one()
    ids = []
    for tag, statement, rows in (("e", add_event, event_rows), ("a", add_file, file_rows)):
        ids.append([db.session.execute(statement, {"case_id": case_id, **_params(tag, row)})
                    .scalar_one() for row in rows])
    return case_id, number, ids[0], ids[1]
