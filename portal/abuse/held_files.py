"""Attachments held while a filing form goes back and forth with errors.

Files that passed the checks are kept, already cleaned, under UPLOAD_FOLDER/pending/<area>/,
where <area> is an HMAC of the form's submission key: only whoever holds the form (its hidden
key) can list, remove or file them, and the directory name reveals nothing of the key. Nothing
a client sends becomes part of a path: removals name entries of the manifest by their random
id. An area expires a few hours after it was made and is swept by later holds."""

import hashlib
import hmac
import json
import os
import secrets
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from flask import current_app

from portal.abuse.uploads import ALLOWED, Prepared

MANIFEST = "manifest.json"
DEFAULT_HOLD_SECONDS = 4 * 3600


@dataclass(frozen=True)
class Held:
    id: str
    name: str
    mime: str
    size: int


def _root():
    return Path(current_app.config["UPLOAD_FOLDER"]) / "pending"


def _area(key):
    # A string, made a Path only where an area exists: a filing asks three times for an area
    # that is almost never there, and building paths was most of what that cost.
    return os.path.join(current_app.config["UPLOAD_FOLDER"], "pending",
                        _area_name(current_app.config["SECRET_KEY"], key))


@lru_cache(maxsize=64)
def _area_name(secret, key):
    # A filing asks for its key's area three times (listing, load, clear): one HMAC.
    return hmac.new(secret.encode(), b"pending|" + key.encode(), hashlib.sha256).hexdigest()


def _lifetime():
    return timedelta(seconds=current_app.config.get("ATTACHMENT_HOLD_SECONDS",
                                                    DEFAULT_HOLD_SECONDS))


def _read(area, now):
    """The manifest of a live area; an expired one is removed and reads empty."""
    if not os.path.lexists(area):
        return None  # the common case, a form that never came back: one failed lookup
    area = Path(area)
    try:
        manifest = json.loads((area / MANIFEST).read_text(encoding="utf-8"))
        created = datetime.fromisoformat(manifest["created"])
    except (OSError, ValueError, KeyError, TypeError):
        # No readable manifest: being made right now, or left broken; removed only when old.
        try:
            age = now.timestamp() - area.stat().st_mtime
        except OSError:
            return None
        if age > _lifetime().total_seconds():
            shutil.rmtree(area, ignore_errors=True)
        return None
    if now - created > _lifetime():
        shutil.rmtree(area, ignore_errors=True)
        return None
    return manifest


def _write(area, manifest):
    tmp = area / f".{secrets.token_hex(8)}.tmp"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, area / MANIFEST)


def _held(manifest):
    return [Held(f["id"], f["name"], f["mime"], f["size"]) for f in manifest["files"]]


def listing(key, now):
    """What is held for this form key, oldest first."""
    manifest = _read(_area(key), now) if key else None
    return _held(manifest) if manifest else []


def add(key, items, now):
    """Hold ``items`` (Prepared) with what is already held; returns the whole list."""
    sweep(now)
    area = Path(_area(key))
    manifest = _read(area, now)
    if manifest is None:
        shutil.rmtree(area, ignore_errors=True)  # an expired or broken area starts afresh
        area.mkdir(parents=True)
        manifest = {"created": now.isoformat(), "files": []}
        _write(area, manifest)
    for item in items:
        file_id = secrets.token_hex(8)
        stored = f"{file_id}.{ALLOWED[item.mime]}"
        fd = os.open(area / stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(item.data)
        manifest["files"].append({"id": file_id, "stored": stored, "name": item.original_name,
                                  "mime": item.mime, "size": len(item.data)})
    _write(area, manifest)
    return _held(manifest)


def drop(key, ids, now):
    """Remove the held files with these ids; ids that are not this form's are ignored."""
    if not key or not ids:
        return
    area = Path(_area(key))
    manifest = _read(area, now)
    if not manifest:
        return
    wanted = set(ids)
    for entry in [f for f in manifest["files"] if f["id"] in wanted]:
        (area / entry["stored"]).unlink(missing_ok=True)
    manifest["files"] = [f for f in manifest["files"] if f["id"] not in wanted]
    _write(area, manifest)


def load(key, now):
    """The held files as Prepared items, ready to be stored with the case."""
    if not key:
        return []
    area = _area(key)
    manifest = _read(area, now)
    if not manifest:
        return []
    return [Prepared((Path(area) / f["stored"]).read_bytes(), f["mime"], f["name"])
            for f in manifest["files"]]


def clear(key):
    if key and os.path.lexists(area := _area(key)):
        shutil.rmtree(area, ignore_errors=True)


def sweep(now):
    """Remove every expired area (their manifests say when they were made)."""
    root = _root()
    if not root.is_dir():
        return
    for area in root.iterdir():
        if area.is_dir():
            _read(area, now)
