"""Attachments: type judged by content, images re-encoded without EXIF, stored outside the web
root under random names."""

import io
import os
import re
import secrets
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import filetype
from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from wtforms.validators import ValidationError

from models import DomainError
from models.i18n import N_
from portal.abuse import pdfcheck

ALLOWED = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
MAX_PIXELS = 40_000_000  # a pixel flood is refused before it is decoded
MB = 1024 * 1024
# Control characters (C0, DEL, C1) and the Unicode line and paragraph separators: none belongs
# in a file name, and CR/LF would break the download's header.
_NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9()_-]+")


@dataclass(frozen=True)
class Prepared:
    data: bytes
    mime: str
    original_name: str


class AttachmentError(DomainError):
    pass


def clean_name(filename):
    """The last part of a client-given path, without control characters; 'attachment' if
    nothing is left. Browsers on Windows may send the whole path with backslashes."""
    name = _NAME_CONTROL.sub("", filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:200] if name not in ("", ".", "..") else "attachment"


def content_disposition(original_name, mime):
    """An attachment header that no stored name can break: an ASCII fallback and the real name
    in RFC 5987 ``filename*`` form, both built from cleaned text."""
    name = clean_name(original_name)
    stem = os.path.splitext(name)[0]
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    plain = _ASCII_UNSAFE.sub("_", plain).strip("_") or "attachment"
    return (f'attachment; filename="{plain}.{ALLOWED[mime]}"; '
            f"filename*=UTF-8''{quote(name, safe='')}")


def _clean_copy(img):
    """The pixels without the metadata Pillow would write back: comments, EXIF, ICC profiles,
    XMP and PNG text all live in ``info``. Palette transparency is pixels, so it stays."""
    clean = img.copy()
    clean.info = {k: v for k, v in img.info.items() if k == "transparency"}
    return clean


def _reencode(data, mime):
    """Decode and re-encode an image: drops EXIF (GPS, camera), comments, every APPn segment
    and text chunk, and any trailing payload."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                if img.width * img.height > MAX_PIXELS:
                    raise AttachmentError(N_("图片像素过大。"))
                img.load()
                img = ImageOps.exif_transpose(img)
                out = io.BytesIO()
                if mime == "image/jpeg":
                    _clean_copy(img.convert("RGB")).save(out, format="JPEG", quality=90)
                else:
                    _clean_copy(img).save(out, format="PNG")
                return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, Warning) as exc:
        raise AttachmentError(N_("图片文件已损坏或无法识别。")) from exc


def prepare(filename, data, max_bytes):
    """Check one upload and return what will be stored; raises AttachmentError."""
    name = clean_name(filename)
    if len(data) > max_bytes:
        raise AttachmentError(N_("附件“%(name)s”超过 %(mb)d MB。"), name=name, mb=max_bytes // MB)
    kind = filetype.guess(data)
    mime = kind.mime if kind else None
    if mime not in ALLOWED:
        raise AttachmentError(N_("附件“%(name)s”不是 JPG、PNG 或 PDF 文件。"), name=name)
    if mime == "application/pdf":
        if not data.startswith(b"%PDF-"):
            raise AttachmentError(N_("附件“%(name)s”不是有效的 PDF 文件。"), name=name)
        if pdfcheck.is_html(data):
            raise AttachmentError(N_("附件“%(name)s”含有网页代码，不是有效的 PDF 文件。"), name=name)
        if pdfcheck.has_active_content(data):
            raise AttachmentError(N_(
                "附件“%(name)s”含有脚本、自动操作或嵌入文件，不能接受：请另存为普通 PDF 或改用图片后上传。"),
                name=name)
        return Prepared(data, mime, name)
    return Prepared(_reencode(data, mime), mime, name)


def check_file_field(form, field, already=0):
    """The check every upload form runs on its file field: at most ATTACHMENT_MAX_COUNT files
    (with ``already`` held ones), each read, checked and cleaned by ``prepare``. The good ones
    go to ``form.prepared`` even when others fail; each refused one gets its own message."""
    files = [f for f in (field.data or []) if getattr(f, "filename", "")]
    limit = current_app.config["ATTACHMENT_MAX_COUNT"]
    if len(files) + already > limit:
        raise ValidationError(_l("最多上传 %(n)d 个附件。", n=limit))
    max_bytes = current_app.config["ATTACHMENT_MAX_BYTES"]
    prepared, refused = [], []
    for upload in files:
        try:
            prepared.append(prepare(upload.filename, upload.read(max_bytes + 1), max_bytes))
        except AttachmentError as exc:
            refused.append(exc.translated(gettext))
    form.prepared = prepared
    if refused:
        field.errors.extend(refused[:-1])
        raise ValidationError(refused[-1])


def store(folder, prepared):
    """Write the file under a random name and return that name."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    stored = f"{secrets.token_hex(16)}.{ALLOWED[prepared.mime]}"
    path = Path(folder) / stored
    with open(path, "xb") as fh:
        fh.write(prepared.data)
    return stored


def remove(folder, stored_names):
    for name in stored_names:
        (Path(folder) / name).unlink(missing_ok=True)
