"""Attachments: checked by content, cleaned of EXIF, stored outside the web root."""

import io
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from models import Case, db
from tests.factories import form_data


def jpeg_with_gps():
    img = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {2: (30.0, 15.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png():
    out = io.BytesIO()
    Image.new("RGB", (10, 10), (0, 0, 255)).save(out, format="PNG")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def post_files(client, files):
    data = form_data()
    data["attachments"] = [(io.BytesIO(body), name) for name, body in files]
    response = client.post("/file", data=data, content_type="multipart/form-data")
    return response, response.get_data(as_text=True)


def test_three_files_are_stored_under_random_names_without_exif(app, client, ctx):
    original = jpeg_with_gps()
    assert b"SpyCam" in original
    response, _html = post_files(
        client, [("photo.jpg", original), ("map.png", png()), ("letter.pdf", PDF)]
    )
    assert response.status_code == 200
    case = db.session.scalars(select(Case)).one()
    names = [a.original_name for a in case.attachments]
    assert names == ["photo.jpg", "map.png", "letter.pdf"]
    folder = Path(app.config["UPLOAD_FOLDER"])
    assert not str(folder).startswith(str(Path(app.static_folder)))
    for attachment in case.attachments:
        assert attachment.stored_name not in names
        assert len(attachment.stored_name) >= 32
    stored = (folder / case.attachments[0].stored_name).read_bytes()
    assert b"SpyCam" not in stored and Image.open(io.BytesIO(stored)).getexif() == {}
    assert (folder / case.attachments[2].stored_name).read_bytes() == PDF


def test_html_renamed_to_pdf_is_refused(client, ctx):
    response, html = post_files(client, [("invoice.pdf", b"<html><script>alert(1)</script>")])
    assert response.status_code == 400
    assert "不是 JPG、PNG 或 PDF 文件" in html
    assert db.session.scalars(select(Case)).first() is None


def test_svg_and_executables_are_refused(client, ctx):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    for name, body in [("x.png", svg), ("x.jpg", b"MZ\x90\x00" + b"\x00" * 100)]:
        response, html = post_files(client, [(name, body)])
        assert response.status_code == 400 and "不是 JPG、PNG 或 PDF 文件" in html


def test_truncated_image_is_refused(client, ctx):
    response, html = post_files(client, [("broken.jpg", jpeg_with_gps()[:200])])
    assert response.status_code == 400 and "图片文件已损坏" in html


def test_file_over_5_mb_is_refused_and_text_kept(client, ctx):
    big = PDF + b"0" * (5 * 1024 * 1024)
    response, html = post_files(client, [("big.pdf", big)])
    assert response.status_code == 400
    assert "超过 5 MB" in html and "窗口办事排队太久" in html


def test_four_files_are_too_many(client, ctx):
    response, html = post_files(client, [(f"{i}.pdf", PDF) for i in range(4)])
    assert response.status_code == 400 and "最多上传 3 个附件" in html


def test_pixel_flood_is_refused(client, ctx):
    out = io.BytesIO()
    Image.new("1", (10000, 10000)).save(out, format="PNG")  # 100 megapixels, tiny file
    response, html = post_files(client, [("flood.png", out.getvalue())])
    assert response.status_code == 400
    assert "图片像素过大" in html or "图片文件已损坏" in html
