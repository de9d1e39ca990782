"""Hostile and odd input answers 400 or 404, never 500, with what the citizen typed kept:
full-width captcha answers, control characters and huge values in the captcha fields, control
characters in URL paths and query strings, and in the names of uploaded files."""

import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from models import Attachment, db
from portal.abuse import captcha
from tests.factories import PDF, count_cases, form_data, hidden_fields, login, make_case

TITLE = "窗口办事排队太久"
CONTENT = "上周三在办事大厅等了两个小时，窗口只开了一个。"
WRONG_CAPTCHA = "验证码不正确或已过期，请输入新图片中的字符。"


def fresh_form(client):
    fields = hidden_fields(client.get("/file").get_data(as_text=True))
    return fields, captcha.peek(fields["captcha_id"])


def full_width(text):
    return "".join(chr(ord(ch) + 0xFEE0) for ch in text)  # 'V3KNF' -> 'Ｖ３ＫＮＦ'


@pytest.mark.parametrize("transform", [full_width, lambda a: full_width(a.lower()),
                                       lambda a: " " + full_width(a) + "\u3000"])
def test_full_width_captcha_answer_is_accepted(guarded, transform):
    client = guarded.test_client()
    fields, answer = fresh_form(client)
    assert not transform(answer).isascii()
    response = client.post("/file", data=form_data(**fields, captcha=transform(answer)))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert count_cases() == 1


def assert_refused_and_kept(response):
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert WRONG_CAPTCHA in html
    assert TITLE in html and CONTENT in html
    assert count_cases() == 0


@pytest.mark.parametrize("typed", ["AB\x00CD", "\x1b[31mAB", "\u202eABCDE", "A" * 100_000,
                                   "验证码五个"])
def test_odd_captcha_answers_are_refused_with_the_text_kept(guarded, typed):
    client = guarded.test_client()
    fields, _answer = fresh_form(client)
    assert_refused_and_kept(client.post("/file", data=form_data(**fields, captcha=typed)))


@pytest.mark.parametrize("challenge_id", ["ab\x00cd", "abc\ndef", "A" * 100_000, "../../x",
                                          "\x7f" * 22])
def test_odd_captcha_ids_are_refused_with_the_text_kept(guarded, challenge_id):
    client = guarded.test_client()
    fields, answer = fresh_form(client)
    data = form_data(**(fields | {"captcha_id": challenge_id}), captcha=answer)
    assert_refused_and_kept(client.post("/file", data=data))


@pytest.mark.parametrize("path", [
    "/track/PY%00X", "/track/PY%0AX", "/track/PY%0D%0AX", "/q/%00", "/q/open/%00",
    "/q/open/a%0Ab", "/captcha/%00.png", "/captcha/%00.wav", "/captcha/a%0Ab.png",
    "/lang/%00", "/staff/cases/1/%00",
])
def test_control_characters_in_the_path_are_404(guarded, path):
    response = guarded.test_client().get(path)
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/track/PY%00/rate", "/q/%00", "/q/open/%00",
                                  "/staff/cases/1/%00"])
def test_posts_to_paths_with_control_characters_are_404(guarded, path):
    # 404 before the CSRF check: the address itself is wrong, whatever the form holds.
    assert guarded.test_client().post(path, data={"value": "satisfied"}).status_code == 404


@pytest.mark.parametrize("url", ["/track?number=PY%00", "/?x=%00", "/file?a=%1b",
                                 "/q/open/abc?lang=%7f", "/staff/login?next=/%00"])
def test_control_characters_in_the_query_string_are_400(guarded, url):
    response = guarded.test_client().get(url)
    assert response.status_code == 400
    assert "请求有误" in response.get_data(as_text=True)


def test_staff_listing_with_control_characters_in_filters_is_400(app):
    client = login(app.test_client(), app, "office")
    assert client.get("/staff/cases?kind=%00").status_code == 400
    assert client.get("/staff/cases?from=2026-01-01%00").status_code == 400


def multipart(fields, file_header, body, boundary="b0undaryPingyi"):
    """A form body written by hand, so that the file's header says exactly what a hostile
    client sends (test clients clean file names)."""
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"attachments\"; "
                 f"{file_header}\r\nContent-Type: application/pdf\r\n\r\n".encode()
                 + body + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("file_header, stored", [
    ('filename="a\x00b.pdf"', "ab.pdf"),
    ("filename*=UTF-8''a%00b.pdf", "ab.pdf"),
    ("filename*=UTF-8''evil%0D%0ASet-Cookie%3A%20x%3D1.pdf", "evilSet-Cookie: x=1.pdf"),
    ("filename*=UTF-8''%E6%8A%95%E8%AF%89%E2%80%A8%0A.pdf", "投诉.pdf"),
    # On the wire a quoted backslash is doubled; the server sees C:\Users\zhang\..\boot.pdf.
    ('filename="C:\\\\Users\\\\zhang\\\\..\\\\boot.pdf"', "boot.pdf"),
    ('filename="../../etc/passwd.pdf"', "passwd.pdf"),
    ("filename*=UTF-8''%00%0D", "attachment"),
])
def test_control_characters_and_paths_in_upload_names_are_removed(guarded, file_header, stored):
    client = guarded.test_client()
    fields, answer = fresh_form(client)
    body, content_type = multipart(form_data(**fields, captcha=answer), file_header, PDF)
    response = client.post("/file", data=body, content_type=content_type)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    (attachment,) = db.session.scalars(select(Attachment)).all()
    assert attachment.original_name == stored


def attachment_named(app, original_name):
    case, _code = make_case()
    stored = f"{uuid.uuid4().hex}.pdf"
    folder = Path(app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / stored).write_bytes(PDF)
    item = Attachment(case_id=case.id, stored_name=stored, original_name=original_name,
                      mime="application/pdf", size=len(PDF))
    db.session.add(item)
    db.session.commit()
    return item.id


@pytest.mark.parametrize("original, header", [
    ('a"b;\r\nSet-Cookie: x=1.pdf',
     "attachment; filename=\"a_b_Set-Cookie_x_1.pdf\"; "
     "filename*=UTF-8''a%22b%3BSet-Cookie%3A%20x%3D1.pdf"),
    ("举报材料\u2028第二行.pdf",
     "attachment; filename=\"attachment.pdf\"; "
     "filename*=UTF-8''%E4%B8%BE%E6%8A%A5%E6%9D%90%E6%96%99%E7%AC%AC%E4%BA%8C%E8%A1%8C.pdf"),
    ("plain.pdf", "attachment; filename=\"plain.pdf\"; filename*=UTF-8''plain.pdf"),
])
def test_download_header_survives_any_stored_name(app, ctx, original, header):
    # Names stored before filing cleaned them may still hold CR, LF or quotes.
    attachment_id = attachment_named(app, original)
    client = login(app.test_client(), app, "office")
    response = client.get(f"/staff/attachments/{attachment_id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"] == header
    assert response.headers["Content-Security-Policy"] == "sandbox"
