"""Staff search (查询): the office finds any case, unit staff their own unit's."""

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from models import db
from models.case_search import MAX_LENGTH, RESULTS, SearchTermError, normalize_term, search
from portal.auth import staff_required
from portal.staff.cases import deadline_marks, fence, unit_names
from portal.staff.forms.search import SearchForm
from portal.staff.list_filters import parse_id
from portal.staff.views import bp


def _term(form):
    """The normalized term, or None with the reason on the field."""
    if not form.validate():
        return None
    try:
        return normalize_term(form.q.data)
    except SearchTermError as exc:
        form.q.errors = [_(exc.args[0])]  # the model's message, marked with N_
        return None


@bp.get("/search")
@staff_required()
def search_cases():
    form = SearchForm(request.args)
    cases, more = None, False
    # The id a later page starts below; a cursor that is no id (only ever forged) gives the
    # first page, as on the case lists.
    before = parse_id(request.args.get("after")) or None
    if form.q.data:
        term = _term(form)
        if term is None:
            return _page(form, None, False, None, 400)
        cases = db.session.scalars(search(term, current_user, fence(), before)).all()
        more, cases = len(cases) > RESULTS, cases[:RESULTS]
    return _page(form, cases, more, before, 200)


def _page(form, cases, more, before, status):
    return render_template("staff/search.html", form=form, cases=cases, later_page=before is not None,
                           max_length=MAX_LENGTH, next_cursor=str(cases[-1].id) if more else None,
                           unit_names=unit_names(), **deadline_marks()), status
