"""The whole life of a case through the back office, as the people involved see it."""

from datetime import timedelta

from sqlalchemy import select

from models import Case, OutboxMessage, db
from tests.factories import act, login, make_case, unit


def reload(case):
    db.session.expire_all()
    return db.session.get(Case, case.id)


def test_a_complaint_from_filing_to_closing(app, ctx):
    case, code = make_case()
    office = login(app.test_client(), app, "office")
    lead = login(app.test_client(), app, "land_lead")
    handler = login(app.test_client(), app, "land_handler")
    citizen = app.test_client()

    # The office sees it in triage and accepts it, assigning it to land-use planning at once.
    assert case.number in office.get("/staff/triage").get_data(as_text=True)
    assert act(office, case.id, "accept", unit=unit("land").id, note="属用地规划科职责").status_code == 302
    case = reload(case)
    assert case.status == "assigned" and case.unit_id == unit("land").id
    # Received Wed 2026-07-01; a complaint has 15 working days: 2026-07-22.
    assert case.due_on.isoformat() == "2026-07-22"

    # The handler sees it, signs for it and starts; a draft is kept, then sent for approval.
    assert case.number in handler.get("/staff/board").get_data(as_text=True)
    assert act(handler, case.id, "sign").status_code == 302
    assert act(handler, case.id, "start").status_code == 302
    assert act(handler, case.id, "reply", body="<p>草稿</p>").status_code == 302
    assert reload(case).status == "in_progress"
    body = "<p>经核查，已增开两个窗口。</p><ul><li>周三加开窗口</li></ul><script>x()</script>"
    assert act(handler, case.id, "reply", body=body, submit_for_approval="y").status_code == 302
    assert reload(case).status == "reply_drafted"

    # A handler cannot approve; the leader can.
    assert act(handler, case.id, "approve").status_code == 403
    assert act(lead, case.id, "approve").status_code == 302
    assert act(office, case.id, "release").status_code == 302
    case = reload(case)
    assert case.status == "replied" and case.replied_at is not None

    # The citizen reads the reply (cleaned), and rates it unsatisfied.
    citizen.post("/track", data={"number": case.number, "code": code})
    page = citizen.get(f"/track/{case.number}").get_data(as_text=True)
    assert "经核查，已增开两个窗口。" in page and "<li>周三加开窗口</li>" in page
    assert "x()" not in page.split("site.js")[0].split("<script")[0] or "<script>x()" not in page
    assert "评价答复" in page
    bad = citizen.post(f"/track/{case.number}/rate", data={"value": "unsatisfied", "reason": ""})
    assert bad.status_code == 409 and "请说明原因" in bad.get_data(as_text=True)
    citizen.post(f"/track/{case.number}/rate", data={"value": "unsatisfied", "reason": "窗口还是不够"})
    assert reload(case).status == "rated"

    # The office sends it back (重办); the unit answers again; this time it is satisfied.
    assert act(office, case.id, "reopen", reason="群众反映窗口仍不足，请进一步核实").status_code == 302
    case = reload(case)
    assert case.status == "reopened" and case.replied_at is None
    assert case.number in office.get("/staff/board").get_data(as_text=True)
    act(handler, case.id, "start")
    act(handler, case.id, "reply", body="<p>已再增开一个窗口。</p>", submit_for_approval="y")
    act(lead, case.id, "approve")
    act(office, case.id, "release")
    citizen.post(f"/track/{case.number}/rate", data={"value": "satisfied", "reason": ""})
    assert act(office, case.id, "close").status_code == 302
    case = reload(case)
    assert case.status == "closed"

    steps = [(e.from_status, e.to_status) for e in case.events if e.from_status != e.to_status]
    assert steps[:3] == [(None, "submitted"), ("submitted", "accepted"), ("accepted", "assigned")]
    assert steps[-1] == ("rated", "closed")
    assert all(e.at is not None and e.actor_role for e in case.events)
    page = citizen.get(f"/track/{case.number}").get_data(as_text=True)
    assert "已办结" in page and "已再增开一个窗口" in page and "满意" in page
    assert "属用地规划科职责" not in page  # internal notes stay inside


def test_not_accepted_with_a_reason_the_citizen_reads(app, ctx):
    case, code = make_case(email="")
    office = login(app.test_client(), app, "office")
    assert act(office, case.id, "refuse", reason="属于诉讼程序中的事项，请通过法院途径解决。").status_code == 302
    assert reload(case).status == "not_accepted"
    citizen = app.test_client()
    citizen.post("/track", data={"number": case.number, "code": code})
    page = citizen.get(f"/track/{case.number}").get_data(as_text=True)
    assert "不予受理" in page and "请通过法院途径解决" in page


def test_returned_case_goes_back_to_the_office_and_is_reassigned(app, ctx):
    case, _ = make_case()
    office = login(app.test_client(), app, "office")
    act(office, case.id, "accept", unit=unit("land").id)
    lead = login(app.test_client(), app, "land_lead")
    assert act(lead, case.id, "return", reason="属建设工程规划科").status_code == 302
    assert reload(case).status == "returned"
    assert case.number in office.get("/staff/triage").get_data(as_text=True)
    act(office, case.id, "assign", unit=unit("compilation").id)
    case = reload(case)
    assert case.status == "assigned" and case.unit_id == unit("compilation").id
    # The unit that returned it no longer sees it.
    assert lead.get(f"/staff/cases/{case.id}").status_code == 404


def test_extension_once_with_the_office_approval(app, ctx):
    case, code = make_case()
    office = login(app.test_client(), app, "office")
    act(office, case.id, "accept", unit=unit("land").id)
    lead = login(app.test_client(), app, "land_lead")
    before = reload(case).due_on
    assert act(lead, case.id, "extension", days="5", reason="需要现场踏勘").status_code == 302
    assert reload(case).due_on == before  # nothing moves until the office decides
    assert act(office, case.id, "extension_decision", decision="approve").status_code == 302
    case = reload(case)
    assert case.extended and case.due_on == before + timedelta(days=7)  # 5 working days
    again = act(lead, case.id, "extension", days="3", reason="再延一次")
    assert again.status_code == 403  # no second request is offered
    citizen = app.test_client()
    citizen.post("/track", data={"number": case.number, "code": code})
    page = citizen.get(f"/track/{case.number}").get_data(as_text=True)
    assert "需要现场踏勘" in page and "已延期" in page


def test_a_case_cannot_be_closed_without_a_reply(app, ctx):
    case, _ = make_case()
    office = login(app.test_client(), app, "office")
    act(office, case.id, "accept", unit=unit("land").id)
    assert act(office, case.id, "close").status_code == 403
    assert reload(case).status == "assigned"


def test_notifications_are_queued_with_the_change(app, ctx):
    case, _ = make_case(email="citizen@example.com")
    office = login(app.test_client(), app, "office")
    act(office, case.id, "accept", unit=unit("land").id)
    mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    recipients = [m.recipient for m in mails]
    assert recipients[0] == "citizen@example.com" and "已受理" in mails[0].subject
    assert "land_lead@bureau.example" in recipients and "land_handler@bureau.example" in recipients
    assert "compilation_lead@bureau.example" not in recipients


def test_case_steps_explain_bad_input_and_change_nothing(app, ctx):
    case, _ = make_case()
    office = login(app.test_client(), app, "office")
    empty = act(office, case.id, "refuse", reason="")
    assert empty.status_code == 400 and "请填写理由" in empty.get_data(as_text=True)
    forged_unit = act(office, case.id, "accept", unit="999999")
    assert forged_unit.status_code == 400
    assert reload(case).status == "submitted"
    act(office, case.id, "accept", unit=unit("land").id)
    lead = login(app.test_client(), app, "land_lead")
    too_long = act(lead, case.id, "extension", days="99", reason="需要很久")
    html = too_long.get_data(as_text=True)
    assert too_long.status_code == 400 and "延期天数应为 1 至 15" in html and "需要很久" in html
    not_a_number = act(lead, case.id, "extension", days="ten", reason="x")
    assert not_a_number.status_code == 400
    nul = act(office, case.id, "note", text="备注\x00")
    assert nul.status_code == 400 and "含有不允许的控制字符" in nul.get_data(as_text=True)
    assert reload(case).extension_days_requested is None
    assert [e.action for e in reload(case).events].count("note") == 0
