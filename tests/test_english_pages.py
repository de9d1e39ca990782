"""Every page in English, for the public and each kind of staff, with data on it: no Chinese is
left outside what people typed (titles, contents, names) and the switch back to 中文."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from models import Case, StaffUser, db
from portal.services import handling, rating
from tests.appraisal_helpers import answer_form, create_questionnaire, invitations
from tests.crawler import EnglishCheck, crawl, english
from tests.factories import NOW, login, make_case, release_reply, staff, unit

# Everything the test types in; a page may show these as they are.
TYPED = ["窗口办事排队太久", "上周三在办事大厅等了两个小时，窗口只开了一个。", "张三", "李四",
         "已安排专人值守窗口。", "草稿答复", "属用地规划科职责", "咨询答复超期", "建立超期预警",
         "陈静", "已部署", "召开动员会两次。", "群众反映窗口排队时间长。", "导办力量不足。",
         "增设导办岗位。", "2026年度民主评议问卷", "请如实评价", "甲", "乙", "丙", "人大",
         "希望公开办事流程图。", "超时未答复", "等待太久", "窗口还是不够", "另一科室的事项",
         "公开承诺", "请核实后再答复", "请办理"]
SECTIONS = {"basic_situation": "召开动员会两次。", "main_opinions": "群众反映窗口排队时间长。",
            "main_problems": "导办力量不足。", "rectification": "增设导办岗位。"}


REPLY = "已安排专人值守窗口。"


def make_data(app):
    """Cases in several statuses, a released and rated reply, a draft, a ledger item, a
    submitted report, a canned reply and a questionnaire with answers and opinions."""
    replied, code = make_case()
    release_reply(replied, NOW, body_html=REPLY)
    rating.rate_case(replied, value="unsatisfied", reason="窗口还是不够", now=NOW + timedelta(days=2))
    # Released today (the clock the pages use), so its status page offers the rating form.
    unrated, unrated_code = make_case(name="李四", kind="consultation", channel="phone")
    release_reply(unrated, datetime.now(UTC), body_html=REPLY)
    draft = make_case(kind="praise")[0]
    handling.accept_case(draft, actor=staff("office"), unit_id=unit("land").id, now=NOW)
    handling.sign_case(draft, actor=staff("land_handler"), now=NOW)
    handling.start_case(draft, actor=staff("land_handler"), now=NOW)
    handling.save_draft(draft, actor=staff("land_handler"), body_html="草稿答复", now=NOW)
    make_case(kind="report", title="另一科室的事项", target_unit_id=unit("info").id)
    make_case(kind="suggestion", target_unit_id=None)

    office_client, q = create_questionnaire(app, min_answers=1, public=True)
    for name in ("甲", "乙", "丙"):
        office_client.post(f"/staff/appraisal/{q.id}/invite",
                           data={"name": name, "group": "supervisor", "organisation": "人大"})
    office_client.post(f"/staff/appraisal/{q.id}/state/open")
    people = invitations(q)
    for person, value in zip(people[:2], ["satisfied", "unsatisfied"], strict=True):
        app.test_client().post(f"/q/{person.token}", data=answer_form(
            q, {unit("land").id: value}, per_topic={unit("land").id: value},
            opinions={unit("land").id: "希望公开办事流程图。"}))

    lead_client = login(app.test_client(), app, "land_lead")
    assert lead_client.post("/staff/ledger", data={
        "unit": str(unit("land").id), "source": "case", "case_number": replied.number,
        "description": "咨询答复超期", "measures": "建立超期预警", "responsible": "陈静",
        "committed_on": "2099-08-01"}).status_code == 302
    assert lead_client.post(f"/staff/reports/{unit('land').id}",
                            data=SECTIONS | {"submit_now": "y"}).status_code == 302
    assert office_client.post("/staff/admin/canned", data={
        "title": "公开承诺", "topic": "", "body": "已安排专人值守窗口。"}).status_code == 302
    return {"case": replied, "code": code, "unrated": unrated, "unrated_code": unrated_code,
            "q": q, "unused": people[2]}


def user_data():
    """What people typed, longest first, so that a longer string is taken out whole."""
    names = db.session.scalars(select(StaffUser.name)).all()
    cases = db.session.execute(select(Case.number, Case.title, Case.content)).all()
    stored = {value for row in cases for value in row}  # opinions become cases, titled for them
    return sorted(set(TYPED) | set(names) | stored, key=len, reverse=True)


def test_every_page_in_english_has_no_chinese_outside_what_people_typed(app, ctx):
    data = make_data(app)
    check = EnglishCheck(user_data())

    citizen = english(app.test_client())
    citizen.post("/track", data={"number": data["case"].number, "code": data["code"]})
    citizen.post("/track", data={"number": data["unrated"].number, "code": data["unrated_code"]})
    public_start = ["/", "/file", "/track", "/q", "/stats", "/commitments",
                    f"/track/{data['case'].number}",
                    f"/track/{data['unrated'].number}", f"/q/{data['unused'].token}",
                    f"/q/open/{data['q'].public_token}"]
    read = crawl(citizen, public_start, check)
    # Forms that come back with their errors, in English too.
    for url, form in (("/file", {"title": "x"}), ("/track", {"number": "PY1"}), ("/q", {})):
        check(f"POST {url}", citizen.post(url, data=form).get_data(as_text=True))
    check("POST /q/<token>", english(app.test_client()).post(
        f"/q/{data['unused'].token}").get_data(as_text=True))

    for username in ("office", "land_lead", "land_handler", "admin"):
        client = english(app.test_client())  # chosen before signing in: kept across it
        login(client, app, username)
        read += crawl(client, ["/staff/board"], check)
    assert len(read) > 40, read
    assert check.found == {}, check.report()


def test_the_language_chosen_before_signing_in_is_kept(app, ctx):
    client = english(app.test_client())
    login(client, app, "land_handler")
    board = client.get("/staff/board").get_data(as_text=True)
    assert '<html lang="en">' in board and "Sign out" in board
    client.post("/staff/logout")
    assert '<html lang="en">' in client.get("/staff/login").get_data(as_text=True)
