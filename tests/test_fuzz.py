"""Any text in any public field: a receipt or a clear 4xx, never a 500, and what is stored is
exactly what was typed."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from models import Case, db
from tests.factories import form_data

TEXT = st.text(st.characters(codec="utf-8"), max_size=120)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=TEXT, content=TEXT, name=TEXT, phone=TEXT, email=TEXT)
def test_filing_never_crashes_and_stores_text_as_typed(app, ctx, title, content, name, phone,
                                                       email):
    key = f"fuzz-{abs(hash((title, content, name, phone, email))):020d}"[:40]
    data = form_data(title=title, content=content, name=name, phone=phone, email=email,
                     submission_key=key)
    response = app.test_client().post("/file", data=data)
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 200:
        db.session.rollback()
        case = db.session.scalars(select(Case).order_by(Case.id.desc())).first()
        assert case.title == title.strip()
        assert case.content == content.replace("\r\n", "\n").strip()
        assert case.name == name.strip()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=TEXT, code=TEXT)
def test_lookup_never_crashes(app, number, code):
    response = app.test_client().post("/track", data={"number": number, "code": code})
    assert response.status_code in (400, 404)
