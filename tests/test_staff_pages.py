"""Staff entry of phone and letter cases, and the administrator's reference data."""

from datetime import date

from sqlalchemy import select

from models import CalendarOverride, Case, db
from portal.services import handling
from tests.factories import NOW, form_data, login, make_case, receipt_codes, staff, unit


def test_phone_call_is_entered_with_a_number_and_code_for_the_caller(app, ctx):
    office = login(app.test_client(), app, "office")
    data = form_data(channel="phone", address="人民路 1 号", submission_key="phone-entry-key-0001")
    response = office.post("/staff/cases/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "已登记" in html
    number, code = receipt_codes(html)
    case = db.session.scalars(select(Case).where(Case.number == number)).one()
    assert case.channel == "phone" and case.created_by_id == staff("office").id
    assert case.address == "人民路 1 号"
    # The caller can look it up like any web filing.
    caller = app.test_client()
    assert caller.post("/track", data={"number": number, "code": code}).status_code == 302
    # The same form twice registers once.
    office.post("/staff/cases/new", data=data)
    assert db.session.scalar(select(db.func.count()).select_from(Case)) == 1


def test_entry_refuses_web_channel_and_keeps_input(app, ctx):
    office = login(app.test_client(), app, "office")
    response = office.post("/staff/cases/new", data=form_data(channel="web", title="来电反映的标题"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="channel-err"' in html and "来电反映的标题" in html


def test_calendar_override_changes_new_deadlines(app, ctx):
    admin = login(app.test_client(), app, "admin")
    response = admin.post("/staff/admin/calendar", data={
        "day": "2026-07-02", "is_workday": "0", "note": "临时停电放假"})
    assert response.status_code == 302
    assert db.session.get(CalendarOverride, date(2026, 7, 2)).is_workday is False
    case, _ = make_case()
    assert case.accept_due_on == date(2026, 7, 6)  # 7/2 is off: 7/3 and then Monday 7/6
    page = admin.get("/staff/admin/calendar").get_data(as_text=True)
    assert "临时停电放假" in page
    bad = admin.post("/staff/admin/calendar", data={"day": "not-a-date", "is_workday": "0"})
    assert bad.status_code == 400 and 'id="day-err"' in bad.get_data(as_text=True)
    admin.post("/staff/admin/calendar/delete", data={"day": "2026-07-02"})
    assert db.session.get(CalendarOverride, date(2026, 7, 2)) is None


def test_time_limits_are_editable_and_apply_to_new_acceptances(app, ctx):
    admin = login(app.test_client(), app, "admin")
    data = {"complaint": "10", "report": "15", "suggestion": "10", "consultation": "3",
            "praise": "10"}
    assert admin.post("/staff/admin/limits", data=data).status_code == 302
    assert "3 个工作日" in app.test_client().get("/").get_data(as_text=True)
    case, _ = make_case(kind="consultation")
    handling.accept_case(case, actor=staff("office"), now=NOW)
    assert case.due_on == date(2026, 7, 6)  # Wed + 3 working days
    bad = admin.post("/staff/admin/limits", data=data | {"report": "0"})
    assert bad.status_code == 400 and "时限应为 1 至 60 个工作日" in bad.get_data(as_text=True)
    admin.post("/staff/admin/limits", data=data | {"complaint": "15", "consultation": "5"})


def test_canned_replies_are_cleaned_and_offered_to_drafters(app, ctx):
    office = login(app.test_client(), app, "office")
    response = office.post("/staff/admin/canned", data={
        "title": "致谢", "topic": "", "body": "<p>感谢您的监督。</p><img src=x onerror=alert(1)>"})
    assert response.status_code == 302
    page = office.get("/staff/admin/canned").get_data(as_text=True)
    assert "感谢您的监督" in page and "onerror" not in page
    case, _ = make_case()
    handling.accept_case(case, actor=staff("office"), unit_id=unit("land").id, now=NOW)
    handling.sign_case(case, actor=staff("land_handler"), now=NOW)
    handling.start_case(case, actor=staff("land_handler"), now=NOW)
    handler = login(app.test_client(), app, "land_handler")
    assert "感谢您的监督" in handler.get(f"/staff/cases/{case.id}").get_data(as_text=True)


def test_leader_names_a_handler_from_the_unit_only(app, ctx):
    case, _ = make_case()
    handling.accept_case(case, actor=staff("office"), unit_id=unit("land").id, now=NOW)
    lead = login(app.test_client(), app, "land_lead")
    outsider = staff("compilation_handler").id
    response = lead.post(f"/staff/cases/{case.id}/handler", data={"handler": str(outsider)})
    assert response.status_code == 400  # not among the choices
    ok = lead.post(f"/staff/cases/{case.id}/handler", data={"handler": str(staff("land_handler").id)})
    assert ok.status_code == 302
    db.session.refresh(case)
    assert case.handler_id == staff("land_handler").id


def test_stored_xss_in_case_text_is_escaped_for_staff(app, ctx):
    probe = '<script>alert(1)</script>"><img src=x onerror=alert(1)>{{7*7}}'
    case, _ = make_case(title="标题<script>alert(1)</script>", content=probe, name=probe[:40])
    office = login(app.test_client(), app, "office")
    page = office.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "{{7*7}}" in page


def test_administrator_creates_disables_and_resets_accounts(app, ctx):
    import re

    admin = login(app.test_client(), app, "admin")
    made = admin.post("/staff/admin/users", data={
        "username": "info_lead", "name": "信息中心 吴强", "role": "leader",
        "unit": str(unit("info").id), "email": "wq@bureau.example"})
    html = made.get_data(as_text=True)
    assert made.status_code == 200 and "只显示这一次" in html
    password = re.search(r'<strong class="mono big">([^<]+)</strong>', html).group(1)
    newcomer = app.test_client()
    assert newcomer.post("/staff/login", data={"username": "info_lead",
                                               "password": password}).status_code == 302
    user = staff("info_lead")
    try:
        assert admin.post(f"/staff/admin/users/{user.id}/disable").status_code == 302
        assert newcomer.get("/staff/board").status_code == 302  # signed out at once
        again = admin.post(f"/staff/admin/users/{user.id}/password").get_data(as_text=True)
        new_password = re.search(r'<strong class="mono big">([^<]+)</strong>', again).group(1)
        assert new_password != password
        admin.post(f"/staff/admin/users/{user.id}/enable")
        assert app.test_client().post("/staff/login", data={
            "username": "info_lead", "password": new_password}).status_code == 302
        # Bad input: taken name, leader without a unit, the admin disabling itself.
        taken = admin.post("/staff/admin/users", data={"username": "info_lead", "name": "x",
                                                       "role": "handler",
                                                       "unit": str(unit("info").id)})
        assert taken.status_code == 400 and "已被使用" in taken.get_data(as_text=True)
        no_unit = admin.post("/staff/admin/users", data={"username": "nounit", "name": "某人",
                                                         "role": "handler", "unit": ""})
        assert no_unit.status_code == 400 and "已有科室" in no_unit.get_data(as_text=True)
        odd = admin.post("/staff/admin/users", data={"username": "a b<", "name": "某人",
                                                     "role": "office"})
        assert odd.status_code == 400 and 'value="a b&lt;"' in odd.get_data(as_text=True)
        me = staff("admin").id
        assert admin.post(f"/staff/admin/users/{me}/disable").status_code == 409
        office = login(app.test_client(), app, "office")
        assert office.get("/staff/admin/users").status_code == 403
    finally:
        db.session.delete(staff("info_lead"))
        db.session.commit()
