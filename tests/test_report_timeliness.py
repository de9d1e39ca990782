"""The self-assessment list says "逾期报送" for a report first submitted after its due date, and
keeps saying it after the office has accepted it (it used to show lateness only for drafts)."""

import re
from datetime import UTC, date, datetime

import pytest

from models import current_campaign
from models.report import LATE, OVERDUE, timeliness
from portal.services import reports
from tests.factories import login, staff, unit

SECTIONS = {"basic_situation": "召开动员会两次。", "main_opinions": "群众反映窗口排队时间长。",
            "main_problems": "导办力量不足。", "rectification": "增设导办岗位。"}
DUE = date(2026, 9, 20)


@pytest.mark.parametrize("first_submitted_on, today, expected", [
    (date(2026, 9, 21), date(2026, 9, 21), LATE),
    (date(2026, 9, 21), date(2026, 12, 1), LATE),
    (date(2026, 9, 20), date(2026, 12, 1), None),
    (date(2026, 9, 1), date(2026, 9, 2), None),
    (None, date(2026, 9, 20), None),
    (None, date(2026, 9, 21), OVERDUE),
])
def test_timeliness_rule(first_submitted_on, today, expected):
    assert timeliness(first_submitted_on, DUE, today) == expected


def submit(leader, at):
    campaign = current_campaign(date(2026, 7, 1))
    user = staff(leader)
    return reports.save_report(unit_id=user.unit_id, campaign=campaign, sections=SECTIONS,
                               actor=user, submit=True, now=at)


def row_of(html, unit_name):
    return re.search(rf"<tr><td><a [^>]*>{unit_name}</a></td>\s*<td>(.*?)</td>", html, re.S).group(1)


def test_the_list_keeps_late_for_a_report_submitted_after_the_due_date(ctx, client, app):
    # 16:30 UTC on the 20th is 00:30 on the 21st in Beijing: late, though UTC still says the 20th.
    late = submit("land_lead", datetime(2026, 9, 20, 16, 30, tzinfo=UTC))
    on_time = submit("compilation_lead", datetime(2026, 9, 20, 15, 0, tzinfo=UTC))
    office = staff("office")
    reports.review_report(report=late, accept=True, comment="", actor=office,
                          now=datetime(2026, 9, 25, 2, 0, tzinfo=UTC))
    login(client, app, "office")
    html = client.get("/staff/reports").get_data(as_text=True)
    assert row_of(html, "用地规划科") == (
        '已通过 <strong class="tag overdue" data-timeliness="late">逾期报送</strong>')
    assert row_of(html, "规划编制科") == "已报送"
    # Not submitted and the due date (20 September of the campaign year) has passed.
    assert row_of(html, "测绘管理科") == (
        '未开始 <strong class="tag overdue" data-timeliness="overdue">已超过报送期限</strong>')
    page = client.get(f"/staff/reports/{unit('land').id}").get_data(as_text=True)
    assert 'data-timeliness="late">逾期报送</strong>' in page
    assert on_time.status == "submitted"


def test_a_return_and_late_resubmission_does_not_make_an_on_time_report_late(ctx, client, app):
    report = submit("land_lead", datetime(2026, 9, 19, 2, 0, tzinfo=UTC))
    reports.review_report(report=report, accept=False, comment="请补充数据。",
                          actor=staff("office"), now=datetime(2026, 9, 20, 2, 0, tzinfo=UTC))
    submit("land_lead", datetime(2026, 9, 25, 2, 0, tzinfo=UTC))
    login(client, app, "office")
    assert row_of(client.get("/staff/reports").get_data(as_text=True), "用地规划科") == "已报送"
