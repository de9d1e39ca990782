"""Questionnaires: invitations, anonymous answers, opinions as cases, results and exports."""

import io
import re

from openpyxl import load_workbook
from sqlalchemy import inspect, select

from models import Answer, Case, Invitation, Response, db
from tests.appraisal_helpers import answer_form, create_questionnaire, invitations
from tests.factories import login, unit

OVERALLS = ["satisfied", "satisfied", "basically_satisfied", "unsatisfied", "dont_know"]


def invite_five(office, q):
    for name in ("赵一", "钱二", "孙三"):
        response = office.post(f"/staff/appraisal/{q.id}/invite",
                               data={"name": name, "group": "representative", "organisation": "人大"})
        assert response.status_code == 302
    csv_text = "姓名,身份,单位\n李四,行风监督员,政协\n周五,评议代表,街道\n"
    upload = office.post(f"/staff/appraisal/{q.id}/upload", content_type="multipart/form-data",
                         data={"file": (io.BytesIO(csv_text.encode()), "list.csv")})
    assert upload.status_code == 302
    return invitations(q)


def test_a_questionnaire_from_invitations_to_results(app, ctx):
    office, q = create_questionnaire(app)
    people = invite_five(office, q)
    assert [p.name for p in people] == ["赵一", "钱二", "孙三", "李四", "周五"]
    assert people[3].group == "supervisor"

    letters = office.get(f"/staff/appraisal/{q.id}/letters").get_data(as_text=True)
    assert all(p.code in letters for p in people) and letters.count("<svg") >= 5
    assert office.post(f"/staff/appraisal/{q.id}/state/open").status_code == 302

    land, info = unit("land"), unit("info")
    for person, overall in zip(people, OVERALLS, strict=True):
        citizen = app.test_client()
        # One enters the short code from the paper letter; the others follow their link.
        if person.name == "李四":
            found = citizen.post("/q", data={"code": person.code.lower()})
            assert found.headers["Location"].endswith(f"/q/{person.token}")
        opinions = {land.id: "窗口指引不清楚，建议增加导办人员。"} if person.name == "赵一" else {}
        data = answer_form(q, {land.id: overall, info.id: "satisfied"},
                           per_topic={land.id: overall}, opinions=opinions)
        page = citizen.post(f"/q/{person.token}", data=data)
        assert page.status_code == 200, page.get_data(as_text=True)[:500]
        if opinions:
            assert "受理编号" in page.get_data(as_text=True)
        again = citizen.post(f"/q/{person.token}", data=data)
        assert again.status_code == 409 and "已经答过" in again.get_data(as_text=True)

    # The opinion became a case for land-use planning, already assigned, on the board.
    opinion = db.session.scalars(select(Case).where(Case.channel == "questionnaire")).one()
    assert opinion.unit_id == land.id and opinion.status == "assigned"
    assert "导办人员" in opinion.content
    handler = login(app.test_client(), app, "land_handler")
    assert opinion.number in handler.get("/staff/board").get_data(as_text=True)

    # Results: satisfaction (2 + 1) / (5 - 1) = 75%, score (2*100 + 80 + 0) / 4 = 70.
    html = office.get(f"/staff/appraisal/{q.id}/results").get_data(as_text=True)
    row = re.search(r"<td>用地规划科</td>(.*?)</tr>", html, re.S).group(1)
    cells = re.findall(r"<td>([^<]*)</td>", row)
    assert cells[:7] == ["5", "2", "1", "1", "1", "75.0%", "70.0"]
    assert "<svg" in html
    # Units nobody rated are listed without figures.
    assert re.search(r"<td>测绘管理科</td><td>5</td>\s*<td colspan", html) is None
    ranks = re.findall(r"<tr><td>(\d+|—)</td><td>([^<]+)</td>", html)
    assert ranks[0] == ("1", "信息中心") and ranks[1] == ("2", "用地规划科")

    book = load_workbook(io.BytesIO(office.get(f"/staff/appraisal/{q.id}/results.xlsx").data))
    sheet_rows = [[c.value for c in r] for r in book.active.iter_rows()]
    land_row = next(r for r in sheet_rows if r[1] == "用地规划科")
    assert land_row[2:9] == [5, 2, 1, 1, 1, 0.75, 70]  # numbers (formats: tests/test_exports.py)
    csv_text = office.get(f"/staff/appraisal/{q.id}/results.csv").get_data(as_text=True)
    assert "用地规划科,5,2,1,1,1,75.0%,70.0" in csv_text


def test_answers_cannot_be_linked_to_people(app, ctx):
    # Structure: nothing in an answer points at an invitation, and an invitation keeps no time.
    response_columns = {c["name"] for c in inspect(db.engine).get_columns("response")}
    assert response_columns == {"id", "questionnaire_id", "group", "submitted_on"}
    answer_columns = {c["name"] for c in inspect(db.engine).get_columns("answer")}
    assert answer_columns == {"id", "response_id", "unit_id", "topic_id", "value"}
    invitation_columns = {c["name"] for c in inspect(db.engine).get_columns("invitation")}
    assert not any("time" in c or c.endswith("_at") or c.endswith("_on")
                   for c in invitation_columns)
    office, q = create_questionnaire(app)
    people = invite_five(office, q)
    office.post(f"/staff/appraisal/{q.id}/state/open")
    for person in people[:2]:
        app.test_client().post(f"/q/{person.token}", data=answer_form(q, {}))
    ids = db.session.scalars(select(Response.id)).all()
    assert len(ids) == 2 and all(len(i) == 32 and not i.isdigit() for i in ids)
    page = office.get(f"/staff/appraisal/{q.id}").get_data(as_text=True)
    assert "无法查看某人的答案" in page


def test_bad_csv_invites_nobody_and_names_the_lines(app, ctx):
    office, q = create_questionnaire(app)
    bad = "张三,评议代表,甲\n李四,路人,乙\n,行风监督员,丙\n"
    response = office.post(f"/staff/appraisal/{q.id}/upload", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(bad.encode()), "bad.csv")})
    assert response.status_code == 400 and "第 2, 3 行有误" in response.get_data(as_text=True)
    assert invitations(q) == []
    binary = office.post(f"/staff/appraisal/{q.id}/upload", content_type="multipart/form-data",
                         data={"file": (io.BytesIO(b"\xff\xfe\x00bad"), "x.csv")})
    assert binary.status_code == 400 and "UTF-8" in binary.get_data(as_text=True)


def test_questionnaire_refuses_incomplete_and_forged_answers(app, ctx):
    office, q = create_questionnaire(app)
    invite_five(office, q)
    office.post(f"/staff/appraisal/{q.id}/state/open")
    token = invitations(q)[0].token
    client = app.test_client()
    data = answer_form(q, {})
    data.pop(next(k for k in data if k.startswith("r_") and k.endswith("_all")))  # an overall
    missing = client.post(f"/q/{token}", data=data | {"o_%d" % unit("land").id: "保留这段意见"})
    html = missing.get_data(as_text=True)
    assert missing.status_code == 400 and "请选择一项" in html and "保留这段意见" in html
    forged = client.post(f"/q/{token}", data=answer_form(q, {unit("land").id: "ecstatic"}))
    assert forged.status_code == 400
    assert db.session.scalars(select(Answer)).first() is None
    assert not db.session.get(Invitation, invitations(q)[0].id).used
    assert client.get("/q/not-a-token").status_code == 404
    wrong = client.post("/q", data={"code": "ZZZZZZZZ"})
    assert wrong.status_code == 404 and "邀请码不正确" in wrong.get_data(as_text=True)


def test_closed_questionnaire_takes_no_answers(app, ctx):
    office, q = create_questionnaire(app)
    invite_five(office, q)
    token = invitations(q)[0].token
    response = app.test_client().post(f"/q/{token}", data=answer_form(q, {}))
    assert response.status_code == 409 and "问卷未开放" in response.get_data(as_text=True)


def test_public_link_asks_group_and_captcha(app, ctx):
    from portal.abuse import captcha
    from tests.appconfig import make_app
    from tests.factories import hidden_fields

    office, q = create_questionnaire(app, public=True)
    office.post(f"/staff/appraisal/{q.id}/state/open")
    guarded = make_app(CAPTCHA_ENABLED=True)
    client = guarded.test_client()
    url = f"/q/open/{q.public_token}"
    fields = hidden_fields(client.get(url).get_data(as_text=True))
    data = answer_form(q, {unit("land").id: "satisfied"}) | {"group": "public"}
    wrong = client.post(url, data=data | {"captcha_id": fields["captcha_id"], "captcha": "XXXXX"})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.get_data(as_text=True)
    fields = hidden_fields(wrong.get_data(as_text=True))
    with guarded.app_context():
        answer = captcha.peek(fields["captcha_id"])
    ok = client.post(url, data=data | {"captcha_id": fields["captcha_id"], "captcha": answer})
    assert ok.status_code == 200
    assert db.session.scalars(select(Response)).one().group == "public"
    assert client.get("/q/open/nope").status_code == 404


def test_public_link_is_rate_limited(app, ctx):
    from tests.appconfig import make_app

    office, q = create_questionnaire(app, public=True)
    office.post(f"/staff/appraisal/{q.id}/state/open")
    limited = make_app(RATELIMIT_ENABLED=True)
    client = limited.test_client()
    data = answer_form(q, {unit("land").id: "satisfied"}) | {"group": "service_recipient"}
    statuses = [client.post(f"/q/open/{q.public_token}", data=data,
                            environ_base={"REMOTE_ADDR": "10.3.0.1"}).status_code
                for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert len(db.session.scalars(select(Response)).all()) == 5


def test_showing_the_public_questionnaire_is_rate_limited(app, ctx):
    """Each showing writes a captcha challenge, like the filing form's."""
    from tests.appconfig import make_app

    office, q = create_questionnaire(app, public=True)
    office.post(f"/staff/appraisal/{q.id}/state/open")
    limited = make_app(RATELIMIT_ENABLED=True, FILE_FORM_RATE_LIMIT="3 per minute",
                       FILING_ATTEMPT_LIMIT="2 per minute")
    client = limited.test_client()
    url = f"/q/open/{q.public_token}"
    shown = [client.get(url, environ_base={"REMOTE_ADDR": "10.3.0.2"}).status_code
             for _ in range(4)]
    assert shown == [200, 200, 200, 429]
    assert client.get(url, environ_base={"REMOTE_ADDR": "10.3.0.3"}).status_code == 200
    tries = [client.post(url, data={}, environ_base={"REMOTE_ADDR": "10.3.0.4"}).status_code
             for _ in range(3)]
    assert tries == [400, 400, 429]


def test_office_forms_explain_bad_input_and_keep_it(app, ctx):
    office = login(app.test_client(), app, "office")
    response = office.post("/staff/appraisal", data={
        "title": "没有选科室的问卷", "units": [], "weight_satisfied": "100",
        "weight_basically": "80", "weight_unsatisfied": "0", "min_answers": "5"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "没有选科室的问卷" in html
    assert "请至少选择一个科室" in html
    bad_weight = office.post("/staff/appraisal", data={
        "title": "计分出错", "units": [str(unit("land").id)], "weight_satisfied": "500",
        "weight_basically": "80", "weight_unsatisfied": "0", "min_answers": "5"})
    assert bad_weight.status_code == 400 and 'id="weight_satisfied-err"' in bad_weight.get_data(
        as_text=True)
    _office, q = create_questionnaire(app, office)
    missing = office.post(f"/staff/appraisal/{q.id}/invite",
                          data={"name": "", "group": "representative", "organisation": "某街道"})
    html = missing.get_data(as_text=True)
    assert missing.status_code == 400 and "请填写姓名" in html and "某街道" in html
    assert office.post(f"/staff/appraisal/{q.id}/state/explode").status_code == 400
    assert office.get("/staff/appraisal/999999").status_code == 404
    assert office.get(f"/staff/appraisal/{q.id}/results.pdf").status_code == 404
