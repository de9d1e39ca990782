"""The case lists' rows (portal/web/case_rows.py) and the staff navigation rendered once per
process (templating.fragment): exact markup, escaping, both languages, each role's links."""

from collections import namedtuple
from datetime import date

from portal.web.case_rows import case_rows
from tests.crawler import english
from tests.factories import login, make_case

Row = namedtuple("Row", "id number title kind channel unit_id status due_on")

TODAY, SOON = date(2026, 7, 1), date(2026, 7, 3)
ZH_COLUMNS = ("编号", "标题", "类别", "渠道", "科室", "状态", "期限")
EN_COLUMNS = ("Number", "Title", "Kind", "Channel", "Section", "Status", "Due")


def zh_row(mark, case_id, number, title, kind, channel, unit, status, due, tag=""):
    return (f'<tr class="{mark}"><td data-label="编号" class="mono">'
            f'<a href="/staff/cases/{case_id}">{number}</a></td>'
            f'<td data-label="标题">{title}</td><td data-label="类别">{kind}</td>'
            f'<td data-label="渠道">{channel}</td><td data-label="科室">{unit}</td>'
            f'<td data-label="状态">{status}</td>'
            f'<td class="deadline" data-label="期限">{due}{tag}</td></tr>\n')


def render(app, rows, columns=ZH_COLUMNS, tags=("已超期", "即将到期"), lang=None):
    with app.test_request_context("/staff/board"):
        if lang:
            from flask import session
            session["lang"] = lang
        return str(case_rows(rows, columns=columns, tags=tags, unit_names={7: "用地规划科"},
                             today=TODAY, soon=SOON, empty="没有符合条件的事项。"))


def test_rows_are_the_tables_markup_with_marks_tags_and_a_missing_unit(app):
    rows = [
        Row(11, "PY2026000011", "窗口排队", "complaint", "web", 7, "in_progress",
            date(2026, 6, 30)),
        Row(12, "PY2026000012", "来信反映", "report", "letter", None, "accepted",
            date(2026, 7, 3)),
        Row(13, "PY2026000013", "已答复的", "suggestion", "phone", 7, "replied",
            date(2026, 6, 1)),
        Row(14, "PY2026000014", "尚无期限", "consultation", "visit", 99, "submitted", None),
    ]
    assert render(app, rows) == (
        zh_row("overdue", 11, "PY2026000011", "窗口排队", "投诉", "网站信箱", "用地规划科",
               "办理中", "2026-06-30", ' <strong class="tag overdue">已超期</strong>')
        + zh_row("due-soon", 12, "PY2026000012", "来信反映", "举报", "来信", "—", "已受理",
                 "2026-07-03", ' <strong class="tag due-soon">即将到期</strong>')
        # Answered: no clock, so no mark even though its day has passed.
        + zh_row("", 13, "PY2026000013", "已答复的", "建议", "投诉电话", "用地规划科",
                 "已答复", "2026-06-01")
        + zh_row("", 14, "PY2026000014", "尚无期限", "咨询", "走访来访", "—", "待受理", ""))


def test_a_title_is_escaped_and_a_brace_in_a_label_stays_a_brace(app):
    row = Row(5, "PY<1>", '<script>alert("x")</script> {title}', "praise", "web", 7,
              "submitted", date(2026, 7, 20))
    html = render(app, [row], columns=("编{号}", "标题", "类别", "渠道", "科室", "状态",
                                       "期&限"))
    assert ('<td data-label="编{号}" class="mono"><a href="/staff/cases/5">PY&lt;1&gt;</a></td>'
            in html)
    assert ('<td data-label="标题">&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; {title}</td>'
            in html)
    assert '<td class="deadline" data-label="期&amp;限">2026-07-20</td>' in html
    assert "<script>" not in html


def test_labels_in_english(app):
    row = Row(3, "PY2026000003", "Queue", "complaint", "letter", 7, "accepted",
              date(2026, 6, 2))
    html = render(app, [row], columns=EN_COLUMNS, tags=("Overdue", "Due soon"), lang="en")
    assert html == (
        '<tr class="overdue"><td data-label="Number" class="mono">'
        '<a href="/staff/cases/3">PY2026000003</a></td>'
        '<td data-label="Title">Queue</td><td data-label="Kind">Complaint</td>'
        '<td data-label="Channel">Letter</td><td data-label="Section">用地规划科</td>'
        '<td data-label="Status">Accepted</td>'
        '<td class="deadline" data-label="Due">2026-06-02 <strong class="tag overdue">Overdue'
        '</strong></td></tr>\n')


def test_no_rows_is_one_row_saying_so(app):
    assert render(app, []) == '<tr><td colspan="7">没有符合条件的事项。</td></tr>'


def test_the_board_shows_a_filed_case_as_a_row(app, ctx):
    case, _ = make_case()
    office = login(app.test_client(), app, "office")
    html = office.get("/staff/board").get_data(as_text=True)
    assert (f'<td data-label="编号" class="mono"><a href="/staff/cases/{case.id}">'
            f'{case.number}</a></td><td data-label="标题">窗口办事排队太久</td>'
            '<td data-label="类别">投诉</td><td data-label="渠道">网站信箱</td>'
            '<td data-label="科室">—</td><td data-label="状态">待受理</td>') in html


def nav_links(html):
    nav = html[html.index("<nav"):html.index("</nav>")]
    return [part.split('"')[0] for part in nav.split('<a href="')[1:]]


def test_each_role_and_language_gets_its_own_navigation(app, ctx):
    # Same process, one after the other: a cached navigation must never carry one role's
    # links (or one language's words) to another.
    office = login(app.test_client(), app, "office")
    handler = login(app.test_client(), app, "land_handler")
    admin = login(app.test_client(), app, "admin")
    office_page = office.get("/staff/board").get_data(as_text=True)
    handler_page = handler.get("/staff/board").get_data(as_text=True)
    admin_page = admin.get("/staff/board").get_data(as_text=True)
    assert "/staff/triage" in nav_links(office_page)
    assert "/staff/triage" not in nav_links(handler_page)
    assert "/staff/admin/users" not in nav_links(office_page)
    assert "/staff/admin/users" in nav_links(admin_page)
    assert ">分办</a>" in office_page
    english_office = login(english(app.test_client()), app, "office")
    english_page = english_office.get("/staff/board").get_data(as_text=True)
    assert ">Triage</a>" in english_page and ">分办</a>" not in english_page
    assert nav_links(english_page)[:4] == nav_links(office_page)[:4]
    # The name is the user's own, outside the shared part.
    assert "用地规划科 刘洋" in handler_page and "用地规划科 刘洋" not in office_page


def test_the_filter_marks_the_chosen_values_and_follows_a_renamed_unit(app, ctx):
    from models import db
    from tests.factories import unit

    office = login(app.test_client(), app, "office")
    land = unit("land")
    html = office.get(f"/staff/board?kind=report&unit={land.id}").get_data(as_text=True)
    assert ('<select name="kind"><option value="">全部</option>\n      '
            '<option value="complaint">投诉</option><option value="report" selected>举报</option>'
            '<option value="suggestion">建议</option><option value="consultation">咨询</option>'
            '<option value="praise">表扬</option>\n') in html
    assert f'<option value="{land.id}" selected>用地规划科</option>' in html
    assert html.count(" selected>") == 2
    case, _ = make_case()
    case.unit_id = land.id
    land.name = "用地<规划>科"
    db.session.commit()
    try:
        html = office.get("/staff/board").get_data(as_text=True)
    finally:  # units are reference data, which the next test expects as seeded
        land.name = "用地规划科"
        db.session.commit()
    assert f'<option value="{land.id}">用地&lt;规划&gt;科</option>' in html
    assert '<td data-label="科室">用地&lt;规划&gt;科</td>' in html
    assert " selected>" not in html
    english_office = login(english(app.test_client()), app, "office")
    html = english_office.get("/staff/board?status=submitted").get_data(as_text=True)
    assert '<option value="submitted" selected>Awaiting acceptance</option>' in html


ExtensionRow = namedtuple("ExtensionRow", "id number title unit_id due_on extension_days_requested")


def test_pending_extension_rows_are_triage_markup_escaped_in_both_languages(app):
    from flask import session

    from portal.web.case_rows import extension_rows

    rows = [ExtensionRow(21, "PY2026000021", "延期<申请>", 7, date(2026, 7, 10), 5),
            ExtensionRow(22, "PY2026000022", "另一件", None, date(2026, 7, 2), 1)]
    with app.test_request_context("/staff/triage"):
        html = str(extension_rows(rows, columns=("编号", "标题", "科室", "期限", "申请延期"),
                                  unit_names={7: "用地&规划科"}))
    assert html == (
        '<tr><td data-label="编号" class="mono"><a href="/staff/cases/21">PY2026000021</a></td>'
        '<td data-label="标题">延期&lt;申请&gt;</td><td data-label="科室">用地&amp;规划科</td>'
        '<td class="deadline" data-label="期限">2026-07-10</td>'
        '<td data-label="申请延期">5 个工作日</td></tr>\n'
        '<tr><td data-label="编号" class="mono"><a href="/staff/cases/22">PY2026000022</a></td>'
        '<td data-label="标题">另一件</td><td data-label="科室">—</td>'
        '<td class="deadline" data-label="期限">2026-07-02</td>'
        '<td data-label="申请延期">1 个工作日</td></tr>\n')
    with app.test_request_context("/staff/triage"):
        session["lang"] = "en"
        html = str(extension_rows(rows[1:], columns=("Number", "Title", "Section", "Due",
                                                     "Extension asked"), unit_names={}))
    assert '<td data-label="Extension asked">1 working days</td>' in html, html


def test_triage_shows_a_pending_extension_through_its_rows(app, ctx):
    from models import db
    from portal.services import handling
    from tests.factories import NOW, staff, unit

    case, _ = make_case(title="要延期的事项")
    handling.accept_case(case, actor=staff("office"), unit_id=unit("land").id, now=NOW)
    handling.request_extension(case, actor=staff("land_lead"), days=3, reason="需要现场核实",
                               now=NOW)
    db.session.commit()
    html = login(app.test_client(), app, "office").get("/staff/triage").get_data(as_text=True)
    assert (f'<a href="/staff/cases/{case.id}">{case.number}</a></td>'
            '<td data-label="标题">要延期的事项</td><td data-label="科室">用地规划科</td>') in html
    assert '<td data-label="申请延期天数">3 个工作日</td>' in html
    english_page = login(english(app.test_client()), app, "office").get("/staff/triage")
    assert '<td data-label="Extension asked">3 working days</td>' in english_page.get_data(
        as_text=True)


def test_a_kind_or_channel_outside_the_tables_leaves_its_cell_empty(app):
    row = Row(15, "PY2026000015", "旧数据", "petition", "fax", 7, "submitted", None)
    assert render(app, [row]) == zh_row("", 15, "PY2026000015", "旧数据", "", "", "用地规划科",
                                        "待受理", "")
