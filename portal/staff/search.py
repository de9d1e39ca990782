"""Staff search (查询): the office finds any case, unit staff their own unit's."""

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length

from models import db
from models.case_search import MAX_LENGTH, RESULTS, SearchTermError, normalize_term, search
from portal.abuse.form_filters import no_control_chars
from portal.auth import staff_required
from portal.staff.cases import deadline_marks, fence
from portal.staff.views import bp


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET that changes nothing; its address can be bookmarked

    # Far too long is refused before it is normalized; the model's own limit says the same.
    q = StringField(_l("查找事项"), validators=[
        Length(max=200, message=_l("搜索内容不能超过 50 个字。")), no_control_chars])


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
    cases = None
    if form.q.data:
        term = _term(form)
        if term is None:
            return _page(form, None, 400)
        cases = db.session.scalars(search(term, current_user, fence())).all()
    return _page(form, cases, 200)


def _page(form, cases, status):
    return render_template("staff/search.html", form=form, cases=cases, limit=RESULTS,
                           max_length=MAX_LENGTH, next_cursor=None, **deadline_marks()), status
