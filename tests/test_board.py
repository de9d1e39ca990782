"""Nothing goes unanswered: the board shows every unanswered case, overdue first, page by page."""

import csv
import io
import re
from datetime import timedelta

import pytest

from models import Case, Status, db
from models.workflow import ANSWERED, UNANSWERED
from portal.services import handling, rating
from tests.factories import NOW, login, make_case, staff, unit


def drive(case, target):
    """Take a case along the usual road until it reaches ``target``."""
    office, lead, handler = staff("office"), staff("land_lead"), staff("land_handler")
    road = [
        (Status.ACCEPTED, lambda: handling.accept_case(case, actor=office, now=NOW)),
        (Status.ASSIGNED, lambda: handling.assign_case(case, actor=office,
                                                       unit_id=unit("land").id, now=NOW)),
        (Status.SIGNED, lambda: handling.sign_case(case, actor=handler, now=NOW)),
        (Status.IN_PROGRESS, lambda: handling.start_case(case, actor=handler, now=NOW)),
        (Status.REPLY_DRAFTED, lambda: handling.submit_reply(case, actor=handler,
                                                             body_html="<p>答复</p>", now=NOW)),
        (Status.REPLY_APPROVED, lambda: handling.approve_reply(case, actor=lead, now=NOW)),
        (Status.REPLIED, lambda: handling.release_reply(case, actor=office, now=NOW)),
        (Status.RATED, lambda: rating.rate_case(case, value="unsatisfied", reason="不满意",
                                                now=NOW)),
        (Status.REOPENED, lambda: handling.reopen_case(case, actor=office, reason="重办",
                                                       now=NOW)),
    ]
    if target is Status.SUBMITTED:
        return case
    if target is Status.RETURNED:
        drive(case, Status.ASSIGNED)
        return handling.return_case(case, actor=handler, reason="非本科室", now=NOW)
    if target is Status.NOT_ACCEPTED:
        return handling.refuse_case(case, actor=office, reason="不属职责", now=NOW)
    if target is Status.CLOSED:
        drive(case, Status.RATED)
        return handling.close_case(case, actor=office, now=NOW)
    for status, step in road:
        step()
        if status is target:
            return case
    raise AssertionError(target)


@pytest.mark.parametrize("status", sorted(Status, key=lambda s: s.value))
def test_board_shows_a_case_exactly_while_it_is_unanswered(app, ctx, status):
    case, _ = make_case()
    drive(case, status)
    assert case.status == status.value
    office = login(app.test_client(), app, "office")
    board = office.get("/staff/board").get_data(as_text=True)
    if status in UNANSWERED:
        assert case.number in board
        if case.unit_id:  # the unit sees it on its own board too
            unit_board = login(app.test_client(), app, "land_handler").get("/staff/board")
            assert case.number in unit_board.get_data(as_text=True)
    else:
        assert status in ANSWERED or status is Status.NOT_ACCEPTED
        assert case.number not in board


def test_every_status_is_either_answered_unanswered_or_refused():
    assert set(Status) == UNANSWERED | ANSWERED | {Status.NOT_ACCEPTED}


def test_board_pages_cover_every_case_once_overdue_first(app, ctx):
    made = []
    for i in range(120):
        case, _ = make_case(now=NOW - timedelta(days=i % 40), title=f"第{i:03d}号事项标题")
        made.append(case.number)
    office = login(app.test_client(), app, "office")
    seen, url = [], "/staff/board"
    while url:
        html = office.get(url).get_data(as_text=True)
        seen += re.findall(r'class="mono"><a href="/staff/cases/\d+">(PY\d+)</a>', html)
        more = re.search(r'href="(/staff/board\?after=[^"]+)"', html)
        url = more.group(1).replace("&amp;", "&") if more else None
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))
    dues = [db.session.query(Case.due_on).filter(Case.number == n).scalar() for n in seen]
    assert dues == sorted(dues)
    assert "已超期" in office.get("/staff/board").get_data(as_text=True)


def test_due_soon_is_marked(app, ctx):
    make_case(now=NOW)
    office = login(app.test_client(), app, "office")
    html = office.get("/staff/board").get_data(as_text=True)
    # Filed today with 2 working days to accept: due soon, or overdue if today is later.
    assert "即将到期" in html or "已超期" in html


def test_filters_narrow_the_list_and_bad_ones_are_reported(app, ctx):
    make_case(kind="suggestion", title="建议增加停车位")
    make_case(kind="complaint", title="投诉窗口态度差")
    office = login(app.test_client(), app, "office")
    html = office.get("/staff/cases?kind=suggestion").get_data(as_text=True)
    assert "建议增加停车位" in html and "投诉窗口态度差" not in html
    html = office.get("/staff/cases?kind=bogus&from=2026-13-45").get_data(as_text=True)
    assert "以下筛选条件无效" in html and "建议增加停车位" in html
    html = office.get("/staff/cases?from=2030-01-01").get_data(as_text=True)
    assert "没有符合条件的事项" in html


def test_superscript_digits_are_bad_filters_not_errors(app, ctx):
    """"²" is a digit to str.isdigit that int() refuses: it was a 500 on every list."""
    make_case(kind="suggestion", title="建议增加停车位")
    office = login(app.test_client(), app, "office")
    response = office.get("/staff/cases?unit=%C2%B2&topic=%C2%B9&after=2026-01-01.%C2%B3")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "以下筛选条件无效，已忽略：topic、unit" in html and "建议增加停车位" in html


def test_csv_export_neutralizes_formulas(app, ctx):
    make_case(title='=HYPERLINK("http://x","点我")')
    make_case(title="+1+1 普通标题")
    office = login(app.test_client(), app, "office")
    response = office.get("/staff/cases.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "受理编号"
    titles = {r[3] for r in rows[1:]}
    assert "'=HYPERLINK(\"http://x\",\"点我\")" in titles and "'+1+1 普通标题" in titles


def test_unrated_replies_close_as_not_rated_after_20_working_days(app, ctx):
    case, code = make_case()
    drive(case, Status.REPLIED)
    assert rating.close_unrated(now=NOW + timedelta(days=20)) == 0  # still inside the window
    assert rating.close_unrated(now=NOW + timedelta(days=40)) == 1
    assert rating.close_unrated(now=NOW + timedelta(days=40)) == 0
    db.session.refresh(case)
    assert case.status == "closed"
    citizen = app.test_client()
    citizen.post("/track", data={"number": case.number, "code": code})
    page = citizen.get(f"/track/{case.number}").get_data(as_text=True)
    assert "评价：未评价" in page and "满意" not in page.split("评价：未评价")[0].split("答复")[-1]
    late = citizen.post(f"/track/{case.number}/rate", data={"value": "satisfied"})
    assert late.status_code == 409


def test_rating_form_refuses_bad_values(app, ctx):
    case, code = make_case()
    drive(case, Status.REPLIED)
    citizen = app.test_client()
    citizen.post("/track", data={"number": case.number, "code": code})
    assert citizen.post(f"/track/{case.number}/rate", data={"value": "ecstatic"}).status_code == 400
    assert citizen.post(f"/track/{case.number}/rate",
                        data={"value": "satisfied", "reason": "好\x00"}).status_code == 400
    stranger = app.test_client()
    assert stranger.post(f"/track/{case.number}/rate", data={"value": "satisfied"}).status_code == 404
