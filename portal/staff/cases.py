"""Back-office lists: the unanswered board, the office's triage queue, each unit's queue."""

from flask import Response, flash, render_template, request
from flask_login import current_user

from models import Case, Channel, Kind, Status, access, db, queues, utcnow
from portal.auth import staff_required
from portal.downloads import cases_csv
from portal.services import reference_cache
from portal.services.clock import deadline_policy, local_date
from portal.staff.list_filters import (
    PAGE_SIZE,
    bad_filter_message,
    cursor_of,
    parse_cursor,
    parse_filter,
)
from portal.staff.views import bp
from portal.web.language import current_lang
from portal.web.templating import channel_label, kind_label, option_pieces, status_label


def fence():
    """The signed-in user's unit fence (models.access.case_fence)."""
    return access.case_fence(current_user)


def deadline_marks():
    """What the lists' and the case page's deadline marks need: today and the due-soon horizon
    (the templates ask ``deadline_mark`` of models/deadlines.py with them)."""
    today = local_date(utcnow())
    # Counted once per day and reference stamp (~0.2 ms of calendar arithmetic a page).
    soon = reference_cache.cached(("due_soon_until", today),
                                  lambda: deadline_policy().due_soon_until(today))
    return {"today": today, "soon": soon}


# What a list row shows (staff/_case_table.html) and its cursor needs: these columns, not
# whole cases. A case row is wide, and building 51 ORM objects cost more than the query.
ROW_COLUMNS = (Case.id, Case.number, Case.title, Case.kind, Case.channel, Case.unit_id,
               Case.status, Case.due_on, Case.extension_days_requested)


def list_rows(page):
    """The rows of a ``queues.keyset_page`` statement, as plain rows of ROW_COLUMNS."""
    return db.session.execute(page.with_only_columns(*ROW_COLUMNS)).all()


def unit_names():
    """Every unit's name by id in the page's language, inactive units too (a case may stay
    with a unit made inactive since); from the worker's copy of the reference data."""
    lang = current_lang()
    return reference_cache.cached(("unit_names", lang), lambda: {
        u.id: u.display_name(lang) for u in reference_cache.units()})


def filter_choices():
    """The list filter's choices in the page's language, as ``options`` pieces
    (templating.option_pieces): made once per stamp, not ~40 labels a page."""
    lang = current_lang()
    return reference_cache.cached(("filter_choices", lang), lambda: {
        "unit": option_pieces((u.id, u.display_name(lang)) for u in reference_cache.units()
                              if u.active),
        "kind": option_pieces((k.value, kind_label(k)) for k in Kind),
        "channel": option_pieces((c.value, channel_label(c)) for c in Channel),
        "status": option_pieces((s.value, status_label(s)) for s in Status),
        "topic": option_pieces((t.id, t.display_name(lang)) for t in reference_cache.topics()),
    })


def render_list(template, stmt, **context):
    f, bad = parse_filter(request.args)
    if bad:
        flash(bad_filter_message(bad), "error")
    rows = list_rows(
        queues.keyset_page(stmt(f), parse_cursor(request.args.get("after")), PAGE_SIZE))
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return render_template(
        template,
        cases=rows,
        next_cursor=cursor_of(rows[-1]) if more else None,
        filter=f,
        choices=filter_choices(),
        unit_names=unit_names(),
        **deadline_marks(),
        **context,
    )


@bp.get("/board")
@staff_required()
def board():
    return render_list("staff/board.html", lambda f: queues.unanswered(fence(), f))


@bp.get("/triage")
@staff_required(*access.OFFICE_ROLES)
def triage():
    # Pending extension requests wait on the office too; listed apart, as they have no status
    # of their own (the case stays where it is while the office decides).
    pending = queues.keyset_page(queues.all_cases(f=queues.CaseFilter(extension_pending=True)),
                                 None, PAGE_SIZE)
    return render_list("staff/triage.html", queues.triage,
                       extension_cases=list_rows(pending)[:PAGE_SIZE])


@bp.get("/cases")
@staff_required()
def cases():
    return render_list("staff/cases.html", lambda f: queues.all_cases(fence(), f))


@bp.get("/cases.csv")
@staff_required()
def export_cases():
    f, _bad = parse_filter(request.args)
    # The body streams from its own connection, not the request's session (gone by then).
    body = cases_csv.stream_cases_csv(db.engine, fence(), f)
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = "attachment; filename=cases.csv"
    return response
