"""Any text in any public field: a receipt or a clear 4xx, never a 500; and valid text in any
script is stored exactly as typed."""

import uuid

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from models import find_by_number
from tests.factories import form_data, receipt_codes, topic, unit

TEXT = st.text(st.characters(codec="utf-8"), max_size=120)

# Letters, marks, digits, punctuation, symbols (emoji), spaces of every kind, and format
# characters (RTL and LTR marks, zero-width joiners); never a control character or a surrogate.
PRINTABLE = st.characters(categories=["L", "M", "N", "P", "S", "Zs", "Cf"])
SAMPLES = st.sampled_from([
    "窗口", "办事", "Ｖ３ＫＮＦ", "，。！？（）", "😀", "👩‍👩‍👧", "\u200f", "\u200e", "مرحبا",
    "שלום", "é", "ｱｲｳ", "　", "Über", "\u202b", "\u2028",
])
CHARS = st.one_of(PRINTABLE, SAMPLES)


def _text(min_size, max_size, *, lines=False):
    """Text whose stripped length is within the form's bounds, with optional spaces around it
    (the form strips those) and, for content, newlines inside."""
    piece = st.one_of(CHARS, st.sampled_from(["\n", "\r\n"])) if lines else CHARS
    pad = st.sampled_from(["", " ", "\u3000", "  \t", "\n"])
    core = st.lists(piece, min_size=min_size, max_size=max_size // 2).map("".join)
    return st.tuples(pad, core, pad).map("".join).filter(
        lambda s: min_size <= len(s.replace("\r\n", "\n").strip()) <= max_size)


VALID = st.fixed_dictionaries({
    "kind": st.sampled_from(["complaint", "report", "suggestion", "consultation", "praise"]),
    "unit": st.sampled_from([None, "land", "compilation", "building", "info"]),
    "topic": st.sampled_from(["development", "livelihood", "grassroots", "enforcement", "style",
                              "other"]),
    "title": _text(5, 50),
    "content": _text(10, 300, lines=True),
    "name": st.one_of(st.just(""), _text(1, 50)),
    "phone": st.sampled_from(["", "13800138000", "+86 10 6512-3456", "010-12345678"]),
    "email": st.sampled_from(["", "zhang@example.com", "li.si+case@example.org"]),
})


def test_valid_filings_in_any_script_are_stored_exactly_as_typed(app, ctx):
    filed = []

    @settings(max_examples=40, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.filter_too_much])
    @given(v=VALID)
    def file_one(v):
        data = form_data(
            kind=v["kind"], target_unit=str(unit(v["unit"]).id) if v["unit"] else "",
            topic=str(topic(v["topic"]).id), title=v["title"], content=v["content"],
            name=v["name"], phone=v["phone"], email=v["email"],
            submission_key=f"fuzz-{uuid.uuid4().hex}")
        response = app.test_client().post("/file", data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, html[:2000]
        number, _code = receipt_codes(html)
        assert number, html[:2000]
        case = find_by_number(number)
        assert case.title == v["title"].strip()
        assert case.content == v["content"].replace("\r\n", "\n").strip()
        assert case.name == v["name"].strip()
        assert case.phone == v["phone"] and case.email == v["email"]
        assert case.kind == v["kind"]
        event("stored as typed")
        filed.append(number)

    file_one()
    # Every example must have reached the stored-as-typed checks (none may be rejected).
    assert len(filed) >= 40, len(filed)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=TEXT, content=TEXT, name=TEXT, phone=TEXT, email=TEXT)
def test_filing_any_text_answers_a_receipt_or_a_400(app, ctx, title, content, name, phone,
                                                     email):
    data = form_data(title=title, content=content, name=name, phone=phone, email=email,
                     submission_key=f"fuzz-{uuid.uuid4().hex}")
    response = app.test_client().post("/file", data=data)
    assert response.status_code in (200, 400), response.status_code


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=TEXT, code=TEXT)
def test_lookup_never_crashes(app, number, code):
    response = app.test_client().post("/track", data={"number": number, "code": code})
    assert response.status_code in (400, 404)
