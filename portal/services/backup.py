"""Backups: a consistent snapshot of the database and the uploads, restored only into an empty
database and an empty upload folder, and a check that attachment rows and files agree.

A backup folder holds ``database.dump`` (PostgreSQL, ``pg_dump -Fc``) or ``database.sqlite3``
(SQLite, copied through sqlite3's online backup API, safe while the app writes), ``uploads/``
and ``manifest.json`` with each upload's SHA-256.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404: pg_dump and pg_restore, fixed arguments, no shell
from pathlib import Path

from sqlalchemy import inspect, select
from sqlalchemy.engine import make_url

from models import Attachment, DomainError, db

MANIFEST = "manifest.json"
UPLOADS = "uploads"
# Files of a form that came back with an error, held for hours only: not attachments yet.
TRANSIENT = "pending"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(DomainError):
    pass


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def upload_files(folder):
    """Relative names of the files in the upload folder, held files left out."""
    root = Path(folder)
    if not root.is_dir():
        return []
    return sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*")
        if p.is_file() and p.relative_to(root).parts[0] != TRANSIENT
    )


def _dialect(url):
    name = make_url(url).get_backend_name()
    if name not in DUMPS:
        raise BackupError(f"backups support PostgreSQL and SQLite, not {name}")
    return name


def _pg_args(url):
    """Connection options for the PostgreSQL client tools; the password goes by environment."""
    u = make_url(url)
    args = ["--dbname", u.database or ""]
    for option, value in (("--host", u.host), ("--port", u.port), ("--username", u.username)):
        if value:
            args += [option, str(value)]
    env = os.environ | ({"PGPASSWORD": u.password} if u.password else {})
    return args, env


def _run(command, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _sqlite_path(url):
    path = make_url(url).database
    if not path or path == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return path


def _sqlite_copy(source, destination):
    """sqlite3's online backup: a consistent copy even while another connection writes."""
    src, dst = sqlite3.connect(source), sqlite3.connect(destination)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def backup(target, *, database_url, upload_folder, now):
    """Write a snapshot into the new or empty folder ``target``; return the manifest.

    The database is copied first and the uploads after: a file is stored before its row is
    committed, so every attachment row in the snapshot has its file in the copy.
    """
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty; a backup goes into a new folder")
    dialect = _dialect(database_url)
    target.mkdir(parents=True, exist_ok=True)
    dump = target / DUMPS[dialect]
    if dialect == "postgresql":
        args, env = _pg_args(database_url)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-acl", "--file", str(dump), *args],
             env)
    else:
        _sqlite_copy(_sqlite_path(database_url), dump)
    files = {}
    for name in upload_files(upload_folder):
        copy = target / UPLOADS / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(Path(upload_folder) / name, copy)
        files[name] = {"sha256": _sha256(copy), "size": copy.stat().st_size}
    manifest = {"created_at": now.isoformat(), "database": dialect, "dump": dump.name,
                "dump_sha256": _sha256(dump), "files": files}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def _read_manifest(source):
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} holds no readable {MANIFEST}") from exc
    if _sha256(source / manifest["dump"]) != manifest["dump_sha256"]:
        raise BackupError(f"{manifest['dump']} does not match its SHA-256 in the manifest")
    for name, entry in manifest["files"].items():
        path = source / UPLOADS / name
        if not path.is_file() or _sha256(path) != entry["sha256"]:
            raise BackupError(f"upload {name} is missing or does not match the manifest")
    return manifest


def _refuse_unless_empty(database_url, upload_folder):
    tables = inspect(db.engine).get_table_names()
    if tables:
        raise BackupError(
            f"the database already has {len(tables)} tables; restore only into an empty "
            "database (create a new one, point DATABASE_URL at it, and run restore again)")
    present = upload_files(upload_folder)
    if present:
        raise BackupError(
            f"the upload folder {upload_folder} already holds {len(present)} files; restore "
            "only into an empty upload folder")


def restore(source, *, database_url, upload_folder):
    """Load the snapshot in ``source`` into the empty database and upload folder; return the
    manifest. Every file is checked against the manifest before anything is written."""
    source = Path(source)
    manifest = _read_manifest(source)
    dialect = _dialect(database_url)
    if manifest["database"] != dialect:
        raise BackupError(f"this backup is of a {manifest['database']} database, not {dialect}")
    _refuse_unless_empty(database_url, upload_folder)
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the old (empty) schema
    if dialect == "postgresql":
        args, env = _pg_args(database_url)
        _run(["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction",
              *args, str(source / manifest["dump"])], env)
    else:
        _sqlite_copy(source / manifest["dump"], _sqlite_path(database_url))
    for name, entry in manifest["files"].items():
        path = Path(upload_folder) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / UPLOADS / name, path)
        if _sha256(path) != entry["sha256"]:
            raise BackupError(f"upload {name} was not copied intact")
    return manifest


def check_files(upload_folder):
    """(attachment rows without a file, files without a row) as sorted lists of names."""
    names = set(db.session.scalars(select(Attachment.stored_name)))
    present = set(upload_files(upload_folder))
    return sorted(names - present), sorted(present - names)
