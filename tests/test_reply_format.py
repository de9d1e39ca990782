"""A reply typed as plain text keeps its paragraphs and line breaks on every page and in mail."""

import re

from sqlalchemy import select

from models import OutboxMessage, Reply, db
from portal.abuse.html_cleaning import clean_reply_html
from tests.factories import act, login, make_case, unit

TYPED = "经核查，情况属实。\n已增开两个窗口。\n\n欢迎继续监督。"
STORED = "<p>经核查，情况属实。<br>已增开两个窗口。</p><p>欢迎继续监督。</p>"


def test_plain_text_becomes_paragraphs_and_line_breaks():
    assert clean_reply_html("a\nb\n\nc") == "<p>a<br>b</p><p>c</p>"
    assert clean_reply_html("a\r\nb\r\n\r\n\r\nc\n") == "<p>a<br>b</p><p>c</p>"
    assert clean_reply_html("  \n\n") == ""
    # Special characters in plain text stay text; nothing typed becomes markup.
    assert clean_reply_html("1 < 2 & 3 > 2\n\"x\"") == "<p>1 &lt; 2 &amp; 3 &gt; 2<br>\"x\"</p>"


def test_structured_html_is_left_to_the_allowlist():
    assert clean_reply_html("<p>a</p>\n<p>b</p>") == "<p>a</p>\n<p>b</p>"
    # Only inline or refused markup: the line breaks are still the structure.
    assert clean_reply_html("<b>a</b>\nb") == "<p>a<br>b</p>"
    assert clean_reply_html("a\n<script>x()</script>") == "<p>a<br>x()</p>"
    assert clean_reply_html('see <a href="https://example.org/x">this</a>\nthanks') == (
        '<p>see <a href="https://example.org/x" rel="noopener noreferrer nofollow">this</a>'
        '<br>thanks</p>')
    assert clean_reply_html("see https://example.org\n\nok") == (
        '<p>see <a href="https://example.org" rel="noopener noreferrer nofollow">'
        'https://example.org</a></p><p>ok</p>')


def reply_released(app, body):
    case, code = make_case()
    office = login(app.test_client(), app, "office")
    lead = login(app.test_client(), app, "land_lead")
    handler = login(app.test_client(), app, "land_handler")
    act(office, case.id, "accept", unit=unit("land").id)
    act(handler, case.id, "sign")
    act(handler, case.id, "start")
    assert act(handler, case.id, "reply", body=body, submit_for_approval="y").status_code == 302
    act(lead, case.id, "approve")
    assert act(office, case.id, "release").status_code == 302
    return case, code, office


def test_line_breaks_survive_on_staff_and_citizen_pages_and_in_mail(app, ctx):
    case, code, office = reply_released(app, TYPED)
    stored = db.session.scalars(select(Reply.body_html).where(Reply.case_id == case.id)).one()
    assert stored == STORED

    staff_page = office.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert f'<div class="reply">{STORED}</div>' in staff_page

    citizen = app.test_client()
    citizen.post("/track", data={"number": case.number, "code": code})
    status_page = citizen.get(f"/track/{case.number}").get_data(as_text=True)
    assert f'<div class="reply">{STORED}</div>' in status_page

    mail = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == "zhangsan@example.com",
        OutboxMessage.subject.contains("已答复"))).one()
    assert (f"您好！您反映的《{case.title}》（{case.number}）已答复：\n\n"
            "经核查，情况属实。\n已增开两个窗口。\n欢迎继续监督。\n\n"
            "欢迎在查询页面对答复进行评价") in mail.body


def draft_box(client, case):
    page = client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    return re.search(r'<textarea id="reply-body"[^>]*>\r\n(.*?)</textarea>', page, re.S).group(1)


def test_a_plain_text_draft_comes_back_as_typed_for_editing(app, ctx):
    case, _code = make_case()
    office = login(app.test_client(), app, "office")
    handler = login(app.test_client(), app, "land_handler")
    act(office, case.id, "accept", unit=unit("land").id)
    act(handler, case.id, "sign")
    act(handler, case.id, "start")
    assert act(handler, case.id, "reply", body="a < b\nc\n\nd").status_code == 302
    assert draft_box(handler, case) == "a &lt; b\nc\n\nd"
    # Saved again unchanged, it is stored exactly as before.
    act(handler, case.id, "reply", body="a < b\nc\n\nd")
    stored = db.session.scalars(select(Reply.body_html).where(Reply.case_id == case.id)).one()
    assert stored == "<p>a &lt; b<br>c</p><p>d</p>"
    # A draft with lists or links is edited as the HTML it is.
    act(handler, case.id, "reply", body="<ul><li>x</li></ul>")
    assert draft_box(handler, case) == "&lt;ul&gt;&lt;li&gt;x&lt;/li&gt;&lt;/ul&gt;"
