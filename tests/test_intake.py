"""A citizen files a case on the web and finds it again."""

from sqlalchemy import select

from models import Case, CaseEvent, db
from tests.factories import count_cases, form_data, make_case, receipt_codes


def test_home_page_shows_campaign_hotline_limits_and_refusals(client):
    html = client.get("/").get_data(as_text=True)
    assert "2026年度民主评议政风行风工作" in html
    for phase in ("宣传发动", "自查整改", "总结提高"):
        assert phase in html
    assert "2026-09-20" in html  # the report due date
    assert "0571-12345678" in html
    assert "15 个工作日" in html and "5 个工作日" in html
    assert "不予受理的事项" in html and "诉讼" in html
    assert "我要反映" in html


def test_form_lists_units_with_not_sure_and_topics(client):
    html = client.get("/file").get_data(as_text=True)
    assert "不确定" in html
    assert "用地规划科" in html and "信息中心" in html
    assert "服务民生" in html and "工作作风" in html
    for kind in ("投诉", "举报", "建议", "咨询", "表扬"):
        assert kind in html


def test_filing_gives_receipt_and_the_pair_finds_the_case(client, ctx):
    response = client.post("/file", data=form_data())
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    number, code = receipt_codes(html)
    assert number.startswith("PY2026") and len(number) == 12
    assert code and len(code) >= 10
    assert "只在此显示一次" in html
    assert response.headers["Cache-Control"] == "no-store"

    case = db.session.scalars(select(Case).where(Case.number == number)).one()
    assert case.status == "submitted" and case.channel == "web"
    assert case.query_code_hash != code  # only a hash is kept
    assert [e.action for e in case.events] == ["submitted"]

    found = client.post("/track", data={"number": number.lower(), "code": code.lower()})
    assert found.status_code == 302
    page = client.get(found.headers["Location"]).get_data(as_text=True)
    assert number in page and "窗口办事排队太久" in page
    assert "已收到，等待受理" in page
    assert case.accept_due_on.isoformat() in page
    assert "138" not in page and "张三" not in page  # no personal data on the status page


def test_anonymous_filing_is_accepted(client, ctx):
    data = form_data(name="", phone="", email="", kind="suggestion", target_unit="")
    response = client.post("/file", data=data)
    assert response.status_code == 200
    case = db.session.scalars(select(Case)).one()
    assert case.anonymous and case.target_unit_id is None and case.kind == "suggestion"


def test_same_form_twice_gives_the_first_receipt_not_a_duplicate(client, ctx):
    first = client.post("/file", data=form_data(submission_key="same-key-123456789012"))
    second = client.post("/file", data=form_data(submission_key="same-key-123456789012"))
    number, code = receipt_codes(first.get_data(as_text=True))
    # The same browser reloading its receipt: the number again, the code not (shown once).
    assert receipt_codes(second.get_data(as_text=True)) == (number, None)
    assert "没有重复登记" in second.get_data(as_text=True)
    assert "查询码已在首次提交时显示。" in second.get_data(as_text=True)
    assert count_cases() == 1


def test_numbers_are_sequential_within_a_year(ctx):
    numbers = [make_case()[0].number for _ in range(3)]
    assert numbers == ["PY2026000001", "PY2026000002", "PY2026000003"]


def test_wrong_code_and_unknown_number_answer_alike(client, ctx):
    case, code = make_case()
    wrong = client.post("/track", data={"number": case.number, "code": "WRONGCODE123"})
    unknown = client.post("/track", data={"number": "PY2026999999", "code": "WRONGCODE123"})
    assert wrong.status_code == unknown.status_code == 404
    def strip(r):
        return r.get_data(as_text=True).replace(case.number, "").replace("PY2026999999", "")
    assert strip(wrong) == strip(unknown)
    assert "受理编号或查询码不正确" in wrong.get_data(as_text=True)
    assert case.number in wrong.get_data(as_text=True)  # what was typed stays


def test_status_page_needs_the_code_first(client, ctx):
    case, _code = make_case()
    response = client.get(f"/track/{case.number}")
    assert response.status_code == 302 and "/track?number=" in response.headers["Location"]


def test_history_shows_citizen_notes_but_not_internal_ones(client, ctx):
    case, code = make_case()
    db.session.add(
        CaseEvent(case=case, at=case.received_at, actor_role="office", action="note",
                  from_status="submitted", to_status="submitted", note="内部：此人多次来访",
                  public_note="")
    )
    db.session.commit()
    client.post("/track", data={"number": case.number, "code": code})
    page = client.get(f"/track/{case.number}").get_data(as_text=True)
    assert "此人多次来访" not in page
    assert "已提交" in page


def test_a_year_the_calendar_does_not_know_shows_a_warning(client, ctx):
    from datetime import UTC, datetime

    case, code = make_case(now=datetime(2031, 3, 3, 2, 0, tzinfo=UTC))
    assert case.calendar_known is False
    assert case.accept_due_on.isoformat() == "2031-03-05"  # Monday + 2 weekdays
    client.post("/track", data={"number": case.number, "code": code})
    page = client.get(f"/track/{case.number}").get_data(as_text=True)
    assert "节假日安排尚未公布" in page


def _full_width(text):
    """What a Chinese input method types: each ASCII letter and digit at its full-width code."""
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isascii() and ch.isalnum() else ch for ch in text)


def test_the_pair_typed_in_full_width_finds_the_case(client, ctx):
    number, code = receipt_codes(client.post("/file", data=form_data()).get_data(as_text=True))
    assert _full_width("PY2026") == "ＰＹ２０２６"
    for typed_number, typed_code in ((_full_width(number), _full_width(code)),
                                     ("PY" + _full_width(number[2:]), code),
                                     (number, _full_width(code[:4]) + "－" + code[4:])):
        found = client.post("/track", data={"number": typed_number, "code": typed_code})
        assert found.status_code == 302, (typed_number, typed_code)
        assert number in client.get(found.headers["Location"]).get_data(as_text=True)


def test_a_phone_typed_in_full_width_is_accepted_as_plain_digits(client, ctx):
    response = client.post("/file", data=form_data(phone="１３８－００１３　８０００"))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    case = db.session.scalars(select(Case)).one()
    assert (case.phone, case.phone_digits) == ("138-0013 8000", "13800138000")
