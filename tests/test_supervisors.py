"""Work-style supervisors (issue 11 point 5): codes issued and revoked by the office, reports of
unannounced visits without signing in, and every inspection page in English."""

import re

import pytest
from sqlalchemy import select

from models import Case, DomainError, StaffUser, active_units, db, utcnow
from models.inspection import Inspection, SupervisorCode
from portal.services import inspections
from tests.appconfig import make_app
from tests.factories import hidden_fields, login, staff, topic, unit
from tests.test_inspections import COMP_TEXT, LAND_TEXT, PLACE, count, make_record, office


def issue_code(app, name="钱七", organisation="市政协"):
    client = office(app)
    response = client.post("/staff/supervisors", data={"name": name, "organisation": organisation})
    assert response.status_code == 302
    code = db.session.scalars(select(SupervisorCode).where(SupervisorCode.name == name)).one()
    return client, code


def report_data(**overrides):
    data = {"unit": str(unit("land").id), "held_on": "2026-07-01", "place": PLACE,
            "text": "上午十点暗访，取号后等了四十分钟，窗口只开一个。"}
    data.update(overrides)
    return data


def test_supervisor_reports_several_visits_with_one_code(app, ctx):
    staff_client, code = issue_code(app)
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{8}", code.code) and len(code.token) == 32
    codes_page = staff_client.get("/staff/supervisors").get_data(as_text=True)
    assert f"已为钱七生成监督员码 {code.code}。" in codes_page
    assert f"/supervise/{code.token}" in codes_page
    client = app.test_client()
    assert client.get("/supervise").status_code == 200
    typed = code.code[:4].lower() + "-" + code.code[4:]  # as copied from a letter
    entered = client.post("/supervise", data={"code": typed})
    assert entered.status_code == 302 and entered.headers["Location"] == f"/supervise/{code.token}"
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code.code)
    assert client.post("/supervise", data={"code": full_width}).status_code == 302
    for text in ("上午十点暗访，取号后等了四十分钟，窗口只开一个。", "下午再去，窗口人员离岗未挂牌。"):
        done = client.post(f"/supervise/{code.token}", data=report_data(text=text))
        page = done.get_data(as_text=True)
        assert done.status_code == 200 and "已收到您的报告，谢谢。" in page
        assert "钱七" not in page
    records = db.session.scalars(select(Inspection).order_by(Inspection.id)).all()
    assert [(r.kind, r.supervisor_code_id, r.recorded_by_id) for r in records] == [
        ("inspection", code.id, None), ("inspection", code.id, None)]
    assert [[(f.unit.code, f.text) for f in r.findings] for r in records] == [
        [("land", "上午十点暗访，取号后等了四十分钟，窗口只开一个。")],
        [("land", "下午再去，窗口人员离岗未挂牌。")]]
    record_page = staff_client.get(f"/staff/inspections/{records[0].id}").get_data(as_text=True)
    assert "行风监督员：钱七（市政协）" in record_page
    # Turned into a case, the section reads the finding but never the supervisor's name.
    staff_client.post(f"/staff/inspections/findings/{records[0].findings[0].id}/case", data={
        "kind": "complaint", "topic": str(topic("style").id), "title": "窗口只开一个排队太久"})
    case = db.session.scalars(select(Case)).one()
    lead_page = login(app.test_client(), app, "land_lead").get(
        f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "上午十点暗访" in lead_page and "钱七" not in lead_page


def test_revoked_code_stops_at_once(app, ctx):
    staff_client, code = issue_code(app)
    client = app.test_client()
    assert client.post(f"/supervise/{code.token}", data=report_data()).status_code == 200
    revoked = staff_client.post(f"/staff/supervisors/{code.id}/revoke")
    assert revoked.status_code == 302
    db.session.expire_all()
    assert db.session.get(SupervisorCode, code.id).revoked is True
    entered = client.post("/supervise", data={"code": code.code})
    assert entered.status_code == 403
    assert "该监督员码已停用。如有疑问，请联系评议办。" in entered.get_data(as_text=True)
    assert client.get(f"/supervise/{code.token}").status_code == 403
    refused = client.post(f"/supervise/{code.token}", data=report_data())
    assert refused.status_code == 403 and count(Inspection) == 1
    assert staff_client.post("/staff/supervisors/999999/revoke").status_code == 404
    lead = login(app.test_client(), app, "land_lead")
    assert lead.post(f"/staff/supervisors/{code.id}/revoke").status_code == 403
    _other_staff, other = issue_code(app, name="孙八")
    with pytest.raises(DomainError, match="只有评议办可以处理检查记录。"):
        inspections.revoke_code(code=other, actor=staff("land_lead"), now=utcnow())
    db.session.expire_all()
    assert db.session.get(SupervisorCode, other.id).revoked is False
    twice = staff_client.post(f"/staff/supervisors/{code.id}/revoke")
    assert twice.status_code == 409 and "该监督员码已经停用。" in twice.get_data(as_text=True)


def test_bad_supervisor_input_is_refused_with_a_message_and_kept(app, ctx):
    _staff, code = issue_code(app)
    client = app.test_client()
    assert client.post("/supervise", data={"code": "WRONG123"}).status_code == 404
    assert client.post("/supervise", data={"code": "AB\x00CD"}).status_code == 400
    assert client.post("/supervise", data={"code": ""}).status_code == 400
    assert client.get("/supervise/" + "0" * 32).status_code == 404
    assert client.get("/supervise/" + "x" * 5000).status_code == 404
    url = f"/supervise/{code.token}"
    cases = [
        ({"unit": "999999"}, "不是有效的选择。"),
        ({"unit": "abc"}, "选择无效"),
        ({"unit": ""}, "请选择科室。"),
        ({"held_on": "2099-12-31"}, "日期不能晚于今天。"),
        ({"held_on": "２０２６－０７－０１"}, "不是有效的日期值。"),
        ({"text": "太慢"}, "应为 10 至 2000 个字。"),
        ({"text": "窗" * 2001}, "应为 10 至 2000 个字。"),
        ({"place": "\x07二楼"}, "含有不允许的控制字符"),
    ]
    for overrides, message in cases:
        response = client.post(url, data=report_data(**overrides))
        html = response.get_data(as_text=True)
        assert response.status_code == 400, overrides
        assert message in html, (overrides, html[:3000])
        if "place" not in overrides:
            assert PLACE in html
    assert count(Inspection) == 0


def test_supervisor_report_asks_a_captcha_and_is_rate_limited(app, ctx):
    from portal.abuse import captcha

    _staff, code = issue_code(app)
    guarded = make_app(CAPTCHA_ENABLED=True, RATELIMIT_ENABLED=True, FILING_RATE_LIMIT="2 per hour")
    client = guarded.test_client()
    url = f"/supervise/{code.token}"
    fields = hidden_fields(client.get(url).get_data(as_text=True))
    wrong = client.post(url, data=report_data(captcha_id=fields["captcha_id"], captcha="XXXXX"))
    assert wrong.status_code == 400 and "验证码不正确" in wrong.get_data(as_text=True)
    statuses = []
    for _ in range(3):
        fields = hidden_fields(client.get(url).get_data(as_text=True))
        with guarded.app_context():
            answer = captcha.peek(fields["captcha_id"])
        statuses.append(client.post(url, data=report_data(
            captcha_id=fields["captcha_id"], captcha=answer)).status_code)
    assert statuses == [200, 200, 429]
    assert count(Inspection) == 2


def test_every_inspection_page_in_english_has_no_chinese_outside_what_people_typed(app, ctx):
    from tests.crawler import EnglishCheck, crawl, english

    staff_client, code = issue_code(app)
    record = make_record(app)
    findings = {f.unit.code: f for f in record.findings}
    staff_client.post(f"/staff/inspections/findings/{findings['land'].id}/case", data={
        "kind": "complaint", "topic": str(topic("style").id), "title": "窗口人员上班玩手机"})
    staff_client.post(f"/staff/inspections/findings/{findings['compilation'].id}/problem", data={
        "measures": "每周更新公示栏。", "responsible": "赵六", "committed_on": "2026-08-31"})
    app.test_client().post(f"/supervise/{code.token}", data=report_data())
    staff_client.post(f"/staff/supervisors/{code.id}/revoke")
    _other_client, other = issue_code(app, name="孙八", organisation="")
    typed = sorted([PLACE, LAND_TEXT, COMP_TEXT, "人大代表 李四", "社区主任 王五", "钱七", "市政协",
                    "孙八", "窗口人员上班玩手机", "每周更新公示栏。", "赵六",
                    "上午十点暗访，取号后等了四十分钟，窗口只开一个。", "用地规划科", "规划编制科",
                    *[u.name for u in active_units()],
                    *db.session.scalars(select(StaffUser.name))], key=len, reverse=True)
    check = EnglishCheck(typed)

    office_client = english(app.test_client())
    login(office_client, app, "office")
    read = crawl(office_client, ["/staff/inspections", "/staff/supervisors"], check)
    assert f"/staff/inspections/{record.id}" in read and "/staff/inspections/new" in read, read
    check("POST new", office_client.post("/staff/inspections/new", data={"place": "x"}).get_data(
        as_text=True))
    check("POST codes", office_client.post("/staff/supervisors", data={}).get_data(as_text=True))
    lead = english(app.test_client())
    login(lead, app, "land_lead")
    case = db.session.scalars(select(Case)).one()
    check("lead case", lead.get(f"/staff/cases/{case.id}").get_data(as_text=True))
    public = english(app.test_client())
    read += crawl(public, ["/supervise", f"/supervise/{other.token}"], check)
    check("POST code", public.post("/supervise", data={"code": "WRONG"}).get_data(as_text=True))
    check("POST revoked", public.post("/supervise", data={"code": code.code}).get_data(
        as_text=True))
    check("POST report", public.post(f"/supervise/{other.token}", data={}).get_data(as_text=True))
    done = public.post(f"/supervise/{other.token}", data=report_data()).get_data(as_text=True)
    assert "Thank you, your report has been received." in done
    check("POST report done", done)
    assert check.found == {}, check.report()


def test_bad_code_requests_are_refused_with_a_message_and_kept(app, ctx):
    client = office(app)
    for data, message in (({"name": "", "organisation": "市政协"}, "请填写姓名。"),
                          ({"name": "钱\x00七", "organisation": "市政协"}, "含有不允许的控制字符"),
                          ({"name": "钱" * 51, "organisation": "市政协"}, "不超过 50 个字。"),
                          ({"name": "钱七", "organisation": "政" * 101}, "不超过 100 个字。")):
        response = client.post("/staff/supervisors", data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and message in html, data
        assert data["organisation"][:3] in html
    assert count(SupervisorCode) == 0
