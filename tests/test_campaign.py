"""A campaign end to end: ledger, self-assessment report with figures checked against the data
the test made, the office's review, the summary and the public pages."""

import io
import re
from datetime import date, timedelta

from docx import Document
from sqlalchemy import select

from models import Case, Problem, SelfReport, WorkCalendar, db
from portal.services import handling, rating
from tests.appraisal_helpers import answer_form, create_questionnaire
from tests.factories import NOW, commitment_falls_due, login, make_case, staff, unit

SECTIONS = {"basic_situation": "召开动员会两次。", "main_opinions": "群众反映窗口排队时间长。",
            "main_problems": "导办力量不足。", "rectification": "增设导办岗位。"}


def reply(case, now, value=None):
    office, lead, handler = staff("office"), staff("land_lead"), staff("land_handler")
    handling.accept_case(case, actor=office, unit_id=unit("land").id, now=NOW)
    handling.sign_case(case, actor=handler, now=NOW)
    handling.start_case(case, actor=handler, now=NOW)
    handling.submit_reply(case, actor=handler, body_html="<p>已处理</p>", now=now)
    handling.approve_reply(case, actor=lead, now=now)
    handling.release_reply(case, actor=office, now=now)
    if value:
        rating.rate_case(case, value=value, reason="原因" if value == "unsatisfied" else "",
                         now=now)
    return case


def make_land_data(app):
    """Four cases for land-use planning with known outcomes, and questionnaire answers."""
    on_time = reply(make_case(kind="complaint")[0], NOW + timedelta(days=5), "satisfied")
    late = reply(make_case(kind="consultation", channel="phone")[0], NOW + timedelta(days=30),
                 "unsatisfied")
    waiting = make_case(kind="suggestion")[0]
    handling.accept_case(waiting, actor=staff("office"), unit_id=unit("land").id, now=NOW)
    make_case(title="另一科室的事项", target_unit_id=unit("info").id)  # never the unit's
    office, q = create_questionnaire(app, min_answers=2)
    for name in ("甲", "乙", "丙"):
        office.post(f"/staff/appraisal/{q.id}/invite", data={"name": name, "group": "supervisor"})
    office.post(f"/staff/appraisal/{q.id}/state/open")
    from tests.appraisal_helpers import invitations
    for person, value in zip(invitations(q), ["satisfied", "unsatisfied", "dont_know"],
                             strict=True):
        app.test_client().post(f"/q/{person.token}",
                               data=answer_form(q, {unit("land").id: value},
                                                per_topic={unit("land").id: value}))
    return office, [on_time, late, waiting]


def test_campaign_from_ledger_to_accepted_report(app, ctx):
    office, (on_time, late, waiting) = make_land_data(app)
    lead = login(app.test_client(), app, "land_lead")

    # The ledger: a commitment whose date has passed is flagged, publicly too, once reviewed.
    response = lead.post("/staff/ledger", data={
        "unit": str(unit("land").id), "source": "case", "case_number": late.number,
        "description": "咨询答复超期", "measures": "建立超期预警", "responsible": "陈静",
        "committed_on": (date.today() + timedelta(days=30)).isoformat()})
    assert response.status_code == 302
    problem = db.session.scalars(select(Problem)).one()
    assert problem.source_case_id == late.id
    commitment_falls_due(problem.id, date(2026, 8, 1))
    assert office.post(f"/staff/ledger/{problem.id}/review").status_code == 302
    public = app.test_client().get("/commitments").get_data(as_text=True)
    assert "建立超期预警" in public and "已超过承诺时限" in public
    done_without_proof = lead.post(f"/staff/ledger/{problem.id}", data={"progress": "done"})
    assert done_without_proof.status_code == 400
    lead.post(f"/staff/ledger/{problem.id}", data={"progress": "in_progress", "note": "已部署"})

    # The report's figures come from the data above.
    page = lead.get(f"/staff/reports/{unit('land').id}").get_data(as_text=True)
    assert "实时" in page
    lead.post(f"/staff/reports/{unit('land').id}", data=SECTIONS | {"submit_now": "y"})
    report = db.session.scalars(select(SelfReport)).one()
    assert report.status == "submitted"
    cases = db.session.scalars(select(Case).where(Case.unit_id == unit("land").id)).all()
    in_year = [c for c in cases if c.received_on.year == 2026]
    figures = report.figures["cases"]
    assert figures["total"] == len(in_year) == 3 + sum(c.channel == "questionnaire" for c in in_year)
    assert figures["by_kind"]["complaint"] == 1 and figures["by_kind"]["consultation"] == 1
    assert figures["by_channel"]["phone"] == 1
    assert figures["replied"] == 2 and figures["replied_on_time"] == 1
    assert late.replied_on > late.due_on and on_time.replied_on <= on_time.due_on
    unanswered = [c for c in in_year if c.replied_on is None]
    assert figures["unanswered"] == len(unanswered)
    assert figures["overdue"] == sum(c.due_on < date.today() for c in unanswered)
    cal = WorkCalendar({})
    days = [cal.working_days_between(c.received_on, c.replied_on) for c in (on_time, late)]
    assert figures["avg_working_days"] == round(sum(days) / 2, 1)
    assert figures["ratings"] == {"satisfied": 1, "basically_satisfied": 0, "unsatisfied": 1,
                                  "none": 0}
    overall = report.figures["questionnaires"][0]["rows"][-1]
    assert overall == {"topic": None, "answers": 3, "rate": 50.0, "score": 50.0}
    assert report.figures["problems"] == {
        "total": 1, "overdue": 1,
        "by_progress": {"not_started": 0, "in_progress": 1, "partly": 0, "done": 0,
                        "not_ripe": 0}}

    # Submitted reports cannot be edited; the office returns it, the unit resubmits, it passes.
    assert lead.post(f"/staff/reports/{unit('land').id}", data=SECTIONS).status_code == 409
    no_reason = office.post(f"/staff/reports/{unit('land').id}/review", data={"decision": "return"})
    assert no_reason.status_code == 409
    office.post(f"/staff/reports/{unit('land').id}/review",
                data={"decision": "return", "comment": "请补充整改时间表"})
    db.session.refresh(report)
    assert report.status == "returned" and report.office_comment == "请补充整改时间表"
    lead.post(f"/staff/reports/{unit('land').id}",
              data=SECTIONS | {"rectification": "增设导办岗位，9月底前完成。", "submit_now": "y"})
    office.post(f"/staff/reports/{unit('land').id}/review", data={"decision": "accept"})
    db.session.refresh(report)
    assert report.status == "accepted"
    assert [e.to_status for e in report.events] == ["submitted", "returned", "submitted", "accepted"]

    # The Word file carries the same figures and the narrative.
    doc = Document(io.BytesIO(office.get(f"/staff/reports/{unit('land').id}.docx").data))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    assert ["收到群众反映", str(figures["total"])] in cells and ["其中按期答复", "1"] in cells
    assert "9月底前完成" in text and ["总体评价", "3", "50.0%", "50.0"] in cells

    # The office's summary lists every unit with its report's status.
    summary = office.get("/staff/reports").get_data(as_text=True)
    row = re.search(r">用地规划科</a></td>(.*?)</tr>", summary, re.S).group(1)
    assert "已通过" in row
    assert "未开始" in summary


def test_units_see_only_their_own_report_and_ledger(app, ctx):
    make_land_data(app)
    other = login(app.test_client(), app, "compilation_lead")
    assert other.get(f"/staff/reports/{unit('land').id}").status_code == 404
    assert other.get(f"/staff/reports/{unit('land').id}.docx").status_code == 404
    handler = login(app.test_client(), app, "land_handler")
    assert handler.post(f"/staff/reports/{unit('land').id}", data=SECTIONS).status_code == 403
    lead = login(app.test_client(), app, "land_lead")
    lead.post("/staff/ledger", data={"unit": str(unit("land").id), "source": "self_inspection",
                                     "description": "内部问题", "measures": "措施",
                                     "responsible": "某人", "committed_on": "2099-12-31"})
    problem = db.session.scalars(select(Problem)).one()
    assert "内部问题" not in other.get("/staff/ledger").get_data(as_text=True)
    assert other.post(f"/staff/ledger/{problem.id}", data={"progress": "done",
                                                          "evidence": "x"}).status_code == 404
    foreign = other.post("/staff/ledger", data={
        "unit": str(unit("land").id), "source": "self_inspection", "description": "冒名",
        "measures": "x", "responsible": "x", "committed_on": "2099-12-31"})
    assert foreign.status_code == 400


def test_public_statistics_come_from_the_cases_and_published_results(app, ctx):
    office, _cases = make_land_data(app)
    from models.report_figures import public_stats
    html = app.test_client().get("/stats").get_data(as_text=True)
    row = re.search(r"<td>用地规划科</td>(.*?)</tr>", html, re.S).group(1)
    cells = re.findall(r"<td>([^<]*)</td>", row)
    stats = public_stats(date(date.today().year, 1, 1), date.today()).get(unit("land").id)
    if stats:  # the cases were made in 2026; in a later year the page counts that year only
        # The last cell: the one land case still unanswered, long past its July deadline.
        assert cells == [str(stats["received"]), f"{100 * stats['replied'] / stats['received']:.1f}%",
                         "50.0%", "50.0%", "1"]
    assert "2026年度民主评议问卷" not in html  # not published yet
    from models import Questionnaire
    q = db.session.scalars(select(Questionnaire)).one()
    office.post(f"/staff/appraisal/{q.id}/state/publish")
    html = app.test_client().get("/stats").get_data(as_text=True)
    assert "2026年度民主评议问卷" in html and "<svg" in html


def land_received(app):
    html = app.test_client().get("/stats").get_data(as_text=True)
    return int(re.search(r"<td>用地规划科</td><td>(\d+)</td>", html).group(1))


def test_statistics_page_reads_the_snapshot_the_command_made(app, ctx):
    from models import utcnow

    runner = app.test_cli_runner()
    assert "statistics for" in runner.invoke(args=["refresh-stats"]).output
    before = land_received(app)
    case, _ = make_case(now=utcnow())
    handling.accept_case(case, actor=staff("office"), unit_id=unit("land").id, now=utcnow())
    assert land_received(app) == before  # the page shows the snapshot, not a live scan
    runner.invoke(args=["refresh-stats"])
    assert land_received(app) == before + 1


def test_ledger_and_report_forms_explain_bad_input(app, ctx):
    lead = login(app.test_client(), app, "land_lead")
    missing = lead.post("/staff/ledger", data={
        "unit": str(unit("land").id), "source": "self_inspection", "description": "写了问题",
        "measures": "", "responsible": "", "committed_on": "明天"})
    html = missing.get_data(as_text=True)
    assert missing.status_code == 400 and "请填写整改措施" in html and "写了问题" in html
    unknown_case = lead.post("/staff/ledger", data={
        "unit": str(unit("land").id), "source": "case", "case_number": "PY2026999999",
        "description": "问题", "measures": "措施", "responsible": "某人",
        "committed_on": "2099-12-31"})
    assert unknown_case.status_code == 400 and "没有找到" in unknown_case.get_data(as_text=True)
    assert db.session.scalars(select(Problem)).first() is None
    half = lead.post(f"/staff/reports/{unit('land').id}",
                     data={"basic_situation": "只写了一部分", "submit_now": "y"})
    html = half.get_data(as_text=True)
    assert half.status_code == 409 and "请填写全部四个部分" in html and "只写了一部分" in html
    assert db.session.scalars(select(SelfReport)).first() is None
    office = login(app.test_client(), app, "office")
    assert office.post(f"/staff/reports/{unit('land').id}/review",
                       data={"decision": "accept"}).status_code == 404  # nothing submitted


def test_a_case_rated_twice_counts_once_with_its_latest_rating(app, ctx):
    from models import Status
    from models.report_figures import public_stats
    from tests.test_board import drive

    case, _ = make_case()
    drive(case, Status.REOPENED)  # rated unsatisfied, then sent back
    handling.start_case(case, actor=staff("land_handler"), now=NOW)
    handling.submit_reply(case, actor=staff("land_handler"), body_html="<p>再答复</p>", now=NOW)
    handling.approve_reply(case, actor=staff("land_lead"), now=NOW)
    handling.release_reply(case, actor=staff("office"), now=NOW)
    rating.rate_case(case, value="satisfied", reason="", now=NOW)
    lead = login(app.test_client(), app, "land_lead")
    lead.post(f"/staff/reports/{unit('land').id}", data=SECTIONS | {"submit_now": "y"})
    figures = db.session.scalars(select(SelfReport)).one().figures["cases"]
    assert figures["ratings"] == {"satisfied": 1, "basically_satisfied": 0, "unsatisfied": 0,
                                  "none": 0}
    stats = public_stats(date(2026, 1, 1), date(2026, 12, 31))[unit("land").id]
    assert (stats["rated"], stats["satisfied"]) == (1, 1)
