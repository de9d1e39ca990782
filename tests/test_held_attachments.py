"""Attachments survive a form that comes back with an error: held on the server under the
form's key, listed with a way to remove each, attached when the case is filed."""

import io
import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from models import Case, db, utcnow
from portal.abuse import captcha, held_files, uploads
from tests.factories import form_data, hidden_fields

PDF_A = b"%PDF-1.4\n1 0 obj<< /Title (first) >>endobj\ntrailer<<>>\n%%EOF\n"
PDF_B = b"%PDF-1.4\n1 0 obj<< /Title (second) >>endobj\ntrailer<<>>\n%%EOF\n"
PDF_C = b"%PDF-1.4\n1 0 obj<< /Title (third) >>endobj\ntrailer<<>>\n%%EOF\n"
HELD = "已保留的附件"


@pytest.fixture(autouse=True)
def _no_held_files(app):
    """Every test starts and ends with an empty holding area: form_data's key is shared."""
    shutil.rmtree(pending_root(app), ignore_errors=True)
    yield
    shutil.rmtree(pending_root(app), ignore_errors=True)


def post(client, data, files=()):
    data = dict(data)
    data["attachments"] = [(io.BytesIO(body), name) for name, body in files]
    response = client.post("/file", data=data, content_type="multipart/form-data")
    return response, response.get_data(as_text=True)


def held_ids(html):
    return dict((name, id_) for id_, name in re.findall(
        r'name="remove_held" value="([0-9a-f]+)"[^>]*> *<label[^>]*>[^<]*?“([^”]+)”', html))


def the_case():
    return db.session.scalars(select(Case)).one()


def stored(app, attachment):
    return (Path(app.config["UPLOAD_FOLDER"]) / attachment.stored_name).read_bytes()


def pending_root(app):
    return Path(app.config["UPLOAD_FOLDER"]) / "pending"


def test_wrong_captcha_keeps_the_file_and_the_resubmission_attaches_it(guarded):
    client = guarded.test_client()
    fields = hidden_fields(client.get("/file").get_data(as_text=True))
    response, html = post(client, form_data(**fields, captcha="ZZZZZ"), [("合同.pdf", PDF_A)])
    assert response.status_code == 400
    assert HELD in html and "合同.pdf" in html
    again = hidden_fields(html)
    assert again["submission_key"] == fields["submission_key"]
    response, html = post(client, form_data(**again, captcha=captcha.peek(again["captcha_id"])))
    assert response.status_code == 200, html[:400]
    (attachment,) = the_case().attachments
    assert attachment.original_name == "合同.pdf" and stored(guarded, attachment) == PDF_A
    assert not any(pending_root(guarded).iterdir())  # the holding area is gone


def test_too_short_content_keeps_files_and_images_stay_cleaned(app, client, ctx):
    from tests.test_uploads import jpeg_with_gps

    response, html = post(client, form_data(content="太短"),
                          [("photo.jpg", jpeg_with_gps()), ("b.pdf", PDF_B)])
    assert response.status_code == 400
    assert "内容应为 10 至 2000 个字" in html
    assert set(held_ids(html)) == {"photo.jpg", "b.pdf"}
    response, _html = post(client, form_data())
    assert response.status_code == 200
    photo, pdf = the_case().attachments
    assert (photo.original_name, pdf.original_name) == ("photo.jpg", "b.pdf")
    assert b"SpyCam" not in stored(app, photo) and stored(app, pdf) == PDF_B
    assert photo.mime == "image/jpeg" and photo.size == len(stored(app, photo))


def test_a_held_file_can_be_removed(app, client, ctx):
    _r, html = post(client, form_data(title="短"), [("a.pdf", PDF_A), ("b.pdf", PDF_B)])
    ids = held_ids(html)
    response, html = post(client, form_data(title="短", remove_held=ids["a.pdf"]))
    assert response.status_code == 400 and set(held_ids(html)) == {"b.pdf"}
    response, _html = post(client, form_data())
    assert response.status_code == 200
    assert [a.original_name for a in the_case().attachments] == ["b.pdf"]


def test_a_file_refused_does_not_drop_the_good_ones(client, ctx):
    response, html = post(client, form_data(), [("a.pdf", PDF_A), ("x.pdf", b"<html>")])
    assert response.status_code == 400
    assert "附件“x.pdf”不是 JPG、PNG 或 PDF 文件" in html
    assert set(held_ids(html)) == {"a.pdf"}


def test_limit_of_three_counts_held_and_new_files(client, ctx):
    _r, html = post(client, form_data(title="短"), [("a.pdf", PDF_A), ("b.pdf", PDF_B)])
    response, html = post(client, form_data(), [("c.pdf", PDF_C), ("d.pdf", PDF_C)])
    assert response.status_code == 400 and "最多上传 3 个附件" in html
    assert set(held_ids(html)) == {"a.pdf", "b.pdf"}
    # Removing one held file makes room for the two new ones.
    response, html = post(client, form_data(remove_held=held_ids(html)["a.pdf"]),
                          [("c.pdf", PDF_C), ("d.pdf", PDF_C)])
    assert response.status_code == 200, html[:400]
    assert [a.original_name for a in the_case().attachments] == ["b.pdf", "c.pdf", "d.pdf"]


def test_another_forms_key_cannot_claim_or_remove_the_files(app, client, ctx):
    _r, html = post(client, form_data(title="短", submission_key="victim-key-0123456789"),
                    [("secret.pdf", PDF_A)])
    victim_ids = held_ids(html)
    stranger = app.test_client()
    response, html = post(stranger, form_data(submission_key="stranger-key-0123456789",
                                              remove_held=victim_ids["secret.pdf"]))
    assert response.status_code == 200 and "secret.pdf" not in html
    assert the_case().attachments == []
    for forged in ("../victim-key-0123456789", "victim-key-0123456789/..", "*", ""):
        response, html = post(stranger, form_data(title="短", submission_key=forged))
        assert "secret.pdf" not in html
    # The victim's file is still there for the victim.
    response, html = post(client, form_data(title="短", submission_key="victim-key-0123456789"))
    assert set(held_ids(html)) == {"secret.pdf"}


def test_the_holding_area_is_named_by_a_keyed_hash_and_expires(app, ctx):
    key, now = "some-form-key-0123456789", utcnow()
    item = uploads.prepare("a.pdf", PDF_A, 5 * 1024 * 1024)
    with app.test_request_context():
        listed = held_files.add(key, [item], now=now)
        assert [h.name for h in listed] == ["a.pdf"]
        (area,) = pending_root(app).iterdir()
        assert key not in area.name and len(area.name) == 64
        assert [p.read_bytes() for p in area.iterdir() if p.suffix == ".pdf"] == [PDF_A]
        assert [h.name for h in held_files.listing(key, now=now + timedelta(hours=3))] == ["a.pdf"]
        other = held_files.add("other-form-key-012345678", [item], now=now + timedelta(hours=5))
        assert len(other) == 1
        # Expired: not listed, not loaded, and swept from disk by the next hold.
        assert held_files.listing(key, now=now + timedelta(hours=5)) == []
        assert held_files.load(key, now=now + timedelta(hours=5)) == []
        assert not area.exists()


def test_an_expired_page_still_lists_what_is_held(guarded):
    client = guarded.test_client()
    fields = hidden_fields(client.get("/file").get_data(as_text=True))
    _r, html = post(client, form_data(**fields, captcha="ZZZZZ"), [("a.pdf", PDF_A)])
    again = hidden_fields(html) | {"csrf_token": "expired-or-forged"}
    response, html = post(client, form_data(**again, captcha="ZZZZZ"), [("new.pdf", PDF_B)])
    assert response.status_code == 400
    assert "已保留的附件列在下方；新选的附件请重新选择" in html
    assert set(held_ids(html)) == {"a.pdf"}
