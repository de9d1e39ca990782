"""Attachments: type judged by content, images re-encoded without EXIF, stored outside the web
root under random names."""

import io
import os
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from models import DomainError

ALLOWED = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
MAX_PIXELS = 40_000_000  # a pixel flood is refused before it is decoded


@dataclass(frozen=True)
class Prepared:
    data: bytes
    mime: str
    original_name: str


class AttachmentError(DomainError):
    pass


def _reencode(data, mime):
    """Decode and re-encode an image: drops EXIF (GPS, camera) and any trailing payload."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                if img.width * img.height > MAX_PIXELS:
                    raise AttachmentError(_l("图片像素过大。"))
                img.load()
                img = ImageOps.exif_transpose(img)
                out = io.BytesIO()
                if mime == "image/jpeg":
                    img.convert("RGB").save(out, format="JPEG", quality=90)
                else:
                    img.save(out, format="PNG")
                return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, Warning) as exc:
        raise AttachmentError(_l("图片文件已损坏或无法识别。")) from exc


def prepare(filename, data, max_bytes):
    """Check one upload and return what will be stored; raises AttachmentError."""
    name = os.path.basename(filename or "")[:200] or "attachment"
    if len(data) > max_bytes:
        raise AttachmentError(_l("附件“%(name)s”超过 5 MB。", name=name))
    kind = filetype.guess(data)
    mime = kind.mime if kind else None
    if mime not in ALLOWED:
        raise AttachmentError(_l("附件“%(name)s”不是 JPG、PNG 或 PDF 文件。", name=name))
    if mime == "application/pdf":
        if not data.startswith(b"%PDF-"):
            raise AttachmentError(_l("附件“%(name)s”不是有效的 PDF 文件。", name=name))
        return Prepared(data, mime, name)
    return Prepared(_reencode(data, mime), mime, name)


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
