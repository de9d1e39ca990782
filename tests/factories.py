"""Plain functions that make what tests need, through the real services."""

import io
import re
from datetime import UTC, datetime

from sqlalchemy import func, select

from models import Case, Topic, Unit, db
from portal.services import intake

NOW = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)  # Wednesday 1 July 2026, 10:00 in Beijing
# The smallest PDF the upload checks take (no JavaScript, no OpenAction).
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes(colour=(200, 30, 30), size=(40, 30)):
    """A real PNG picture; another colour gives another file (and another digest)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def count_cases():
    return db.session.scalar(select(func.count()).select_from(Case))


def unit(code):
    return db.session.scalars(select(Unit).where(Unit.code == code)).one()


def topic(code):
    return db.session.scalars(select(Topic).where(Topic.code == code)).one()


def make_case(now=NOW, attachments=(), **overrides):
    fields = {
        "kind": "complaint",
        "channel": "web",
        "title": "窗口办事排队太久",
        "content": "上周三在办事大厅等了两个小时，窗口只开了一个。",
        "topic_id": topic("style").id,
        "target_unit_id": unit("land").id,
        "name": "张三",
        "phone": "13800138000",
        "email": "zhangsan@example.com",
        "publish_consent": False,
    }
    fields.update(overrides)
    return intake.file_case(fields=fields, attachments=attachments, now=now)


def form_data(client_html=None, **overrides):
    """A valid filing form, as a browser would post it."""
    data = {
        "kind": "complaint",
        "target_unit": str(unit("land").id),
        "topic": str(topic("style").id),
        "title": "窗口办事排队太久",
        "content": "上周三在办事大厅等了两个小时，窗口只开了一个。",
        "name": "张三",
        "phone": "138 0013 8000",
        "email": "zhangsan@example.com",
        "submission_key": "k" * 22,
    }
    if client_html:
        data.update(hidden_fields(client_html))
    data.update(overrides)
    return data


def hidden_fields(html):
    return dict(re.findall(r'<input [^>]*?name="(\w+)" type="hidden" value="([^"]*)"', html))


def receipt_codes(html):
    number = re.search(r'受理编号</dt><dd class="mono big">(\w+)</dd>', html)
    code = re.search(r'查询码</dt><dd class="mono big">(\w+)</dd>', html)
    return (number.group(1) if number else None, code.group(1) if code else None)


def staff(username):
    from models import find_staff

    return find_staff(username)


def login(client, app, username):
    response = client.post("/staff/login", data={
        "username": username, "password": app.config["DEMO_PASSWORDS"][username]})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def act(client, case_id, action, **data):
    return client.post(f"/staff/cases/{case_id}/{action}", data=data)


def release_reply(case, now=NOW, body_html="<p>已处理。</p>", note=None):
    """Take a new case through the land unit to a released reply (with a handler's note when
    ``note`` is given), by the real services."""
    from portal.services import handling

    office, lead, handler = staff("office"), staff("land_lead"), staff("land_handler")
    handling.accept_case(case, actor=office, unit_id=unit("land").id, note="请办理", now=now)
    handling.sign_case(case, actor=handler, now=now)
    handling.start_case(case, actor=handler, now=now)
    if note:
        handling.add_note(case, actor=handler, text=note, now=now)
    handling.submit_reply(case, actor=handler, body_html=body_html, now=now)
    handling.approve_reply(case, actor=lead, now=now)
    handling.release_reply(case, actor=office, now=now)
    return case


def morning_of(day, hour=2):
    """``day`` at ``hour`` UTC: 10:00 in Beijing by default."""
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def answer_on(case, released_on, unit_code="land"):
    """Accept for the unit (the first time), then sign, reply, approve, and release the reply
    on the morning of ``released_on``, by the real services."""
    from portal.services import handling

    handler, lead = staff(f"{unit_code}_handler"), staff(f"{unit_code}_lead")
    if case.unit_id is None:
        handling.accept_case(case, actor=staff("office"), unit_id=unit(unit_code).id, now=NOW)
        handling.sign_case(case, actor=handler, now=NOW)
    handling.start_case(case, actor=handler, now=NOW)
    handling.submit_reply(case, actor=handler, body_html="<p>答复。</p>", now=NOW)
    handling.approve_reply(case, actor=lead, now=NOW)
    handling.release_reply(case, actor=staff("office"), now=morning_of(released_on))


def commitment_falls_due(problem_id, day):
    """Time passes for a ledger commitment: entry refuses a date already past, so a test that
    needs one overdue enters it with a future date and moves the date here."""
    from models import Problem

    db.session.get(Problem, problem_id).committed_on = day
    db.session.commit()
