"""Campaign notices (宣传发动): the office publishes them with attachments checked as at
filing; the home page and /notices show them; units cannot publish."""

import io
from datetime import date

import pytest
from PIL import Image
from sqlalchemy import select

from models import DomainError, Notice, NoticeAttachment, db
from portal.services import notices
from tests.factories import NOW, login, staff
from tests.test_uploads import PDF, jpeg_with_gps


def post_notice(client, **overrides):
    data = {"title": "关于开展民主评议宣传发动的通知", "body": "各科室：\n请于6月底前完成动员。",
            "dated_on": "2026-06-01"} | overrides
    files = data.pop("files", [])
    data["attachments"] = [(io.BytesIO(body), name) for name, body in files]
    return client.post("/staff/notices", data=data, content_type="multipart/form-data")


def test_the_office_publishes_a_notice_that_the_home_page_and_notices_show(ctx, client, app):
    login(client, app, "office")
    response = post_notice(client, files=[("动员方案.pdf", PDF), ("现场.jpg", jpeg_with_gps())])
    assert response.status_code == 302
    notice = db.session.scalars(select(Notice)).one()
    assert [(a.original_name, a.mime) for a in notice.attachments] == [
        ("动员方案.pdf", "application/pdf"), ("现场.jpg", "image/jpeg")]
    public = app.test_client()
    home = public.get("/").get_data(as_text=True)
    assert "关于开展民主评议宣传发动的通知" in home and f'href="/notices/{notice.id}"' in home
    assert "关于开展民主评议宣传发动的通知" in public.get("/notices").get_data(as_text=True)
    page = public.get(f"/notices/{notice.id}").get_data(as_text=True)
    assert "各科室：\n请于6月底前完成动员。" in page and "2026-06-01" in page
    pdf = public.get(f"/notices/{notice.id}/files/{notice.attachments[0].id}")
    assert pdf.status_code == 200 and pdf.data == PDF
    assert pdf.headers["Content-Security-Policy"] == "sandbox"
    image = public.get(f"/notices/{notice.id}/files/{notice.attachments[1].id}")
    assert Image.open(io.BytesIO(image.data)).getexif() == {}  # re-encoded without EXIF/GPS


@pytest.mark.parametrize("name, body, message", [
    ("通知.pdf", b"<html><script>alert(1)</script></html>", "不是 JPG、PNG 或 PDF 文件"),
    ("坏.pdf", b"%PDF-1.4\n1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n%%EOF",
     "含有脚本、自动操作或嵌入文件"),
])
def test_a_refused_attachment_keeps_the_notice_unsaved_and_the_text_typed(ctx, client, app, name,
                                                                          body, message):
    login(client, app, "office")
    response = post_notice(client, files=[(name, body)])
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and "关于开展民主评议宣传发动的通知" in html
    assert db.session.scalars(select(Notice)).all() == []


def test_too_many_attachments_are_refused(ctx, client, app):
    login(client, app, "office")
    response = post_notice(client, files=[(f"{i}.pdf", PDF) for i in range(4)])
    assert response.status_code == 400
    assert "最多上传 3 个附件。" in response.get_data(as_text=True)
    assert db.session.scalars(select(Notice)).all() == []


@pytest.mark.parametrize("overrides, message", [
    ({"title": ""}, "请填写标题。"),
    ({"title": "长" * 101}, "标题不超过 100 个字。"),
    ({"body": "a\x00b"}, "含有不允许的控制字符"),
    ({"dated_on": "2026-13-40"}, "不是有效的日期值。"),
    ({"dated_on": ""}, "请填写有效的日期。"),
])
def test_bad_input_answers_400_with_its_reason(ctx, client, app, overrides, message):
    login(client, app, "office")
    response = post_notice(client, **overrides)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalars(select(Notice)).all() == []


def test_future_dated_and_withdrawn_notices_are_not_shown(ctx, client, app):
    office = staff("office")
    later = notices.publish_notice(actor=office, title="将来的通知", body="内容",
                                   dated_on=date(2099, 1, 1), now=NOW)
    shown = notices.publish_notice(actor=office, title="现在的通知", body="内容",
                                   dated_on=date(2026, 6, 1), now=NOW)
    listing = client.get("/notices").get_data(as_text=True)
    assert "现在的通知" in listing and "将来的通知" not in listing
    assert client.get(f"/notices/{later.id}").status_code == 404
    login(client, app, "office")
    assert client.post(f"/staff/notices/{shown.id}/withdraw").status_code == 302
    assert client.get(f"/notices/{shown.id}").status_code == 404
    assert "现在的通知" not in client.get("/").get_data(as_text=True)


def test_units_cannot_publish(ctx, client, app):
    with pytest.raises(DomainError, match="只有评议办可以发布通知"):
        notices.publish_notice(actor=staff("land_lead"), title="t", body="b",
                               dated_on=date(2026, 6, 1), now=NOW)
    login(client, app, "land_lead")
    assert client.get("/staff/notices").status_code == 403
    assert post_notice(client).status_code == 403
    assert db.session.scalars(select(Notice)).all() == []
    shown = notices.publish_notice(actor=staff("office"), title="t", body="b",
                                   dated_on=date(2026, 6, 1), now=NOW)
    with pytest.raises(DomainError, match="只有评议办可以发布通知"):
        notices.withdraw_notice(shown, actor=staff("land_lead"))
    assert client.post(f"/staff/notices/{shown.id}/withdraw").status_code == 403
    db.session.expire_all()
    assert db.session.get(Notice, shown.id).withdrawn is False


def test_forged_ids_answer_404(ctx, client, app):
    office = staff("office")
    first = notices.publish_notice(actor=office, title="一", body="b", dated_on=date(2026, 6, 1),
                                   now=NOW)
    login(client, app, "office")
    post_notice(client, title="二", files=[("a.pdf", PDF)])
    other = db.session.scalars(select(NoticeAttachment)).one()
    assert client.get(f"/notices/{first.id}/files/{other.id}").status_code == 404
    assert client.get("/notices/999999").status_code == 404
    assert client.get("/notices/99999999999999999999").status_code == 404
    assert client.post("/staff/notices/999999/withdraw").status_code == 404
