"""Attachments carry no hidden payload: images lose every comment, metadata and text chunk when
re-encoded; PDFs with scripts, automatic actions, embedded files or HTML are refused."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin
from sqlalchemy import func, select

from models import Case, db
from tests.factories import form_data

PAYLOAD = b"<script>alert(1)</script>"


def post_file(client, name, body):
    data = form_data()
    data["attachments"] = [(io.BytesIO(body), name)]
    response = client.post("/file", data=data, content_type="multipart/form-data")
    return response, response.get_data(as_text=True)


def stored_bytes(app):
    case = db.session.scalars(select(Case)).one()
    (attachment,) = case.attachments
    return (Path(app.config["UPLOAD_FOLDER"]) / attachment.stored_name).read_bytes()


def jpeg_markers(data):
    """The marker bytes of every segment before the image data starts."""
    assert data[:2] == b"\xff\xd8"
    pos, markers = 2, []
    while pos < len(data):
        assert data[pos] == 0xFF
        marker = data[pos + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            return markers
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        pos += 2 + length
    return markers


def segment(marker, body):
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


def hostile_jpeg():
    img = Image.new("RGB", (40, 30), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "<script>exif</script>"
    out = io.BytesIO()
    img.save(out, format="JPEG", comment=PAYLOAD, exif=exif, icc_profile=b"<script>icc" * 10)
    data = out.getvalue()
    # An APP13 (Photoshop) and an APP15 segment with the payload as well, right after SOI.
    extra = segment(0xED, b"Photoshop 3.0\x00" + PAYLOAD) + segment(0xEF, PAYLOAD)
    return data[:2] + extra + data[2:]


def test_jpeg_comment_and_app_segments_are_stripped(app, client, ctx):
    original = hostile_jpeg()
    assert original.count(b"<script") >= 5
    assert {0xE1, 0xE2, 0xED, 0xEF, 0xFE} <= set(jpeg_markers(original))
    response, _html = post_file(client, "photo.jpg", original)
    assert response.status_code == 200
    stored = stored_bytes(app)
    assert b"<script" not in stored and b"alert" not in stored
    app_or_comment = [m for m in jpeg_markers(stored) if 0xE0 <= m <= 0xEF or m == 0xFE]
    assert app_or_comment == [0xE0]  # only the JFIF header Pillow always writes
    with Image.open(io.BytesIO(stored)) as img:
        assert "comment" not in img.info and "icc_profile" not in img.info
        assert "exif" not in img.info and img.size == (40, 30)


def png_chunks(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, kinds = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kinds.append(data[pos + 4:pos + 8].decode("ascii"))
        pos += 12 + length
    return kinds


def test_png_text_chunks_are_stripped(app, client, ctx):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", PAYLOAD.decode())
    info.add_text("Zipped", PAYLOAD.decode() * 20, zip=True)
    info.add_itxt("Intl", PAYLOAD.decode(), lang="zh", tkey="注释")
    out = io.BytesIO()
    Image.new("RGB", (12, 12), (0, 200, 0)).save(
        out, format="PNG", pnginfo=info, icc_profile=b"<script>icc" * 10)
    original = out.getvalue()
    assert {"tEXt", "zTXt", "iTXt", "iCCP"} <= set(png_chunks(original))
    response, _html = post_file(client, "map.png", original)
    assert response.status_code == 200
    stored = stored_bytes(app)
    kinds = png_chunks(stored)
    assert kinds[0] == "IHDR" and kinds[-1] == "IEND"
    assert set(kinds) == {"IHDR", "IDAT", "IEND"}
    assert b"<script" not in stored
    with Image.open(io.BytesIO(stored)) as img:
        assert img.info == {} and img.size == (12, 12)


def test_png_palette_transparency_survives(app, client, ctx):
    img = Image.new("P", (8, 8), 1)
    img.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    out = io.BytesIO()
    img.save(out, format="PNG", transparency=0)
    response, _html = post_file(client, "icon.png", out.getvalue())
    assert response.status_code == 200
    with Image.open(io.BytesIO(stored_bytes(app))) as stored:
        assert stored.info == {"transparency": 0}


def pdf(*objects, tail=b""):
    body = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    for number, obj in enumerate(objects, start=1):
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    return body + tail + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


def flate_stream(content):
    packed = zlib.compress(content)
    return b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(
        packed) + packed + b"\nendstream"


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [] /Count 0 >>"
ACTIVE = "含有脚本、自动操作或嵌入文件，不能接受：请另存为普通 PDF 或改用图片后上传。"
HTML = "含有网页代码，不是有效的 PDF 文件。"

HOSTILE_PDFS = {
    "javascript": pdf(b"<< /Type /Catalog /Names << /JavaScript 3 0 R >> >>", PAGES),
    "js": pdf(CATALOG, PAGES, b"<< /S /JavaScript /JS (app.alert(1)) >>"),
    "open-action": pdf(b"<< /Type /Catalog /OpenAction [2 0 R /Fit] >>", PAGES),
    "additional-actions": pdf(CATALOG, b"<< /Type /Page /AA << /O 4 0 R >> >>"),
    "launch": pdf(CATALOG, PAGES, b"<< /S /Launch /F (cmd.exe) >>"),
    "embedded-file": pdf(CATALOG, PAGES, b"<< /Type /EmbeddedFile /Length 0 >>"),
    "hex-escaped-name": pdf(CATALOG, PAGES, b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>"),
    "hex-escaped-open-action": pdf(b"<< /Type /Catalog /#4Fpen#41ction 3 0 R >>", PAGES),
    "compressed-object-stream": pdf(CATALOG, PAGES, flate_stream(b"3 0 << /OpenAction 4 0 R >>")),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_PDFS))
def test_pdf_with_active_content_is_refused(client, ctx, case):
    response, html = post_file(client, "letter.pdf", HOSTILE_PDFS[case])
    assert response.status_code == 400
    assert f"附件“letter.pdf”{ACTIVE}" in html
    assert "窗口办事排队太久" in html
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0


@pytest.mark.parametrize("body", [
    b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>",
    b"%PDF-1.4\n<!DOCTYPE html><p>hi</p>",
    pdf(CATALOG, PAGES) + b"\n<HTML><SCRIPT>alert(1)</SCRIPT>",
    pdf(CATALOG, PAGES, b"x" * 4000 + b"<script src=//evil.example/x.js></script>"),
])
def test_html_behind_a_pdf_header_is_refused(client, ctx, body):
    response, html = post_file(client, "invoice.pdf", body)
    assert response.status_code == 400
    assert f"附件“invoice.pdf”{HTML}" in html


def test_plain_pdf_mentioning_javascript_in_text_is_accepted(app, client, ctx):
    # A word in a literal string is not a name, nor is a longer name that starts like one.
    body = pdf(CATALOG, PAGES, b"<< /Title (JavaScript and OpenAction explained) /JSX 1 /AAA 2 >>")
    response, _html = post_file(client, "notes.pdf", body)
    assert response.status_code == 200
    assert stored_bytes(app) == body
