"""A unit sees only its own cases: every staff route answers 404 for another unit's case."""

import re

import pytest

from tests.factories import act, login, make_case, unit

CASE_ROUTES = ["/staff/cases/{id}"]
ACTIONS = ["accept", "refuse", "assign", "sign", "return", "start", "reply", "approve",
           "send_back", "release", "reopen", "close", "note", "handler", "extension",
           "extension_decision", "urge"]


@pytest.fixture
def land_case(app, ctx):
    case, _ = make_case()
    office = login(app.test_client(), app, "office")
    act(office, case.id, "accept", unit=unit("land").id)
    act(office, case.id, "note", text="附件是现场照片")
    return case


@pytest.mark.parametrize("username", ["compilation_lead", "compilation_handler"])
def test_other_units_get_404_on_every_case_route(app, land_case, username):
    client = login(app.test_client(), app, username)
    assert client.get(f"/staff/cases/{land_case.id}").status_code == 404
    for action in ACTIONS:
        response = client.post(f"/staff/cases/{land_case.id}/{action}", data={"text": "x"})
        assert response.status_code == 404, action
    for url in ("/staff/board", "/staff/cases", "/staff/cases.csv",
                f"/staff/cases?unit={unit('land').id}"):
        assert land_case.number not in client.get(url).get_data(as_text=True), url


def test_attachments_of_other_units_are_404(app, ctx):
    import io

    from tests.factories import form_data
    citizen = app.test_client()
    data = form_data()
    data["attachments"] = [(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "a.pdf")]
    citizen.post("/file", data=data, content_type="multipart/form-data")
    from sqlalchemy import select

    from models import Attachment, db
    attachment = db.session.scalars(select(Attachment)).one()
    office = login(app.test_client(), app, "office")
    act(office, attachment.case_id, "accept", unit=unit("land").id)
    other = login(app.test_client(), app, "compilation_handler")
    assert other.get(f"/staff/attachments/{attachment.id}").status_code == 404
    own = login(app.test_client(), app, "land_handler")
    response = own.get(f"/staff/attachments/{attachment.id}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Content-Security-Policy"] == "sandbox"


def test_own_unit_sees_its_case(app, land_case):
    client = login(app.test_client(), app, "land_handler")
    page = client.get(f"/staff/cases/{land_case.id}").get_data(as_text=True)
    assert land_case.title in page and "附件是现场照片" in page


def test_unassigned_cases_are_the_office_s_alone(app, ctx):
    case, _ = make_case()
    for username in ("land_lead", "land_handler"):
        client = login(app.test_client(), app, username)
        assert client.get(f"/staff/cases/{case.id}").status_code == 404


def test_unit_staff_cannot_open_office_or_admin_pages(app, ctx):
    client = login(app.test_client(), app, "land_lead")
    for url in ("/staff/triage", "/staff/admin/calendar", "/staff/admin/limits", "/staff/appraisal",
                "/staff/admin/canned"):
        assert client.get(url).status_code == 403, url
    office = login(app.test_client(), app, "office")
    assert office.get("/staff/admin/calendar").status_code == 403
    assert office.get("/staff/admin/canned").status_code == 200


def test_anonymous_visitors_are_sent_to_login_from_every_staff_route(app, ctx):
    client = app.test_client()
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/staff")
             and r.endpoint not in ("staff.login",)]
    assert len(rules) > 10
    for rule in rules:
        url = re.sub(r"<int:\w+>", "1", rule.rule)
        url = re.sub(r"<\w+>", "note", url)
        method = "POST" if "POST" in rule.methods and "GET" not in rule.methods else "GET"
        response = client.open(url, method=method)
        assert response.status_code == 302 and "/staff/login" in response.headers["Location"], url


def test_forged_case_ids_and_actions_are_404(app, ctx):
    client = login(app.test_client(), app, "office")
    assert client.get("/staff/cases/999999").status_code == 404
    assert client.get("/staff/cases/abc").status_code == 404
    case, _ = make_case()
    assert client.post(f"/staff/cases/{case.id}/teleport").status_code == 403


def test_report_of_misconduct_hides_the_complainant_from_the_units(app, ctx):
    # A report against land-use planning may not go there (tests/test_report_access.py); the
    # unit it is routed to instead does not see the reporter either, and the accused nothing.
    case, _ = make_case(kind="report", name="李四", phone="13911112222", email="lisi@example.com")
    office = login(app.test_client(), app, "office")
    assert act(office, case.id, "accept", unit=unit("compilation").id).status_code == 302
    assert "13911112222" in office.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    for username in ("compilation_lead", "compilation_handler"):
        page = login(app.test_client(), app, username).get(f"/staff/cases/{case.id}").get_data(
            as_text=True)
        assert "李四" not in page and "13911112222" not in page and "lisi@" not in page
        assert "身份对被举报科室保密" in page
    for username in ("land_lead", "land_handler"):
        client = login(app.test_client(), app, username)
        assert client.get(f"/staff/cases/{case.id}").status_code == 404
    # ... and the unit is not mailed the complainant's details either.
    from sqlalchemy import select

    from models import OutboxMessage, db
    for message in db.session.scalars(select(OutboxMessage)):
        if message.recipient.endswith("@bureau.example"):
            assert "李四" not in message.body and "13911112222" not in message.body


def test_lists_show_no_personal_data(app, ctx):
    make_case(name="王五", phone="13700001111")
    office = login(app.test_client(), app, "office")
    for url in ("/staff/board", "/staff/triage", "/staff/cases", "/staff/cases.csv"):
        body = office.get(url).get_data(as_text=True)
        assert "王五" not in body and "13700001111" not in body, url


def test_contact_details_are_masked_for_handlers_not_on_the_case(app, ctx):
    from models import db
    from tests.factories import staff

    case, _ = make_case(name="张小三", phone="13800138000", email="zhangxs@example.com")
    office = login(app.test_client(), app, "office")
    act(office, case.id, "accept", unit=unit("land").id)
    other = staff("land_handler")
    other_unit_mate = staff("compilation_handler")
    other_unit_mate.unit_id = unit("land").id  # a second handler in the same unit
    db.session.commit()
    try:
        lead = login(app.test_client(), app, "land_lead")
        act(lead, case.id, "handler", handler=str(other.id))
        mate = login(app.test_client(), app, "compilation_handler")
        page = mate.get(f"/staff/cases/{case.id}").get_data(as_text=True)
        assert "13800138000" not in page and "张小三" not in page
        assert "138****8000" in page and "张**" in page and "z***@example.com" in page
        own = login(app.test_client(), app, "land_handler").get(f"/staff/cases/{case.id}")
        assert "13800138000" in own.get_data(as_text=True)
        assert "13800138000" in lead.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    finally:
        other_unit_mate.unit_id = unit("compilation").id
        db.session.commit()
