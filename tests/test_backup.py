"""The restore drill on the database under test (SQLite or PostgreSQL): cases with attachments,
history, ratings and questionnaire answers; back up; wipe; restore; every row and file is back.
And `flask check-files`, which lists rows without files and files without rows."""

import hashlib
import json
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select, text

from models import Attachment, db
from models.org import current_campaign
from portal.abuse import uploads
from portal.services import appraisal, rating
from tests.appconfig import DATABASE_URL, make_app, seed_reference_data
from tests.factories import NOW, PDF, make_case, png_bytes, release_reply, unit

ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=test"


@pytest.fixture
def drill(tmp_path):
    """An app of its own on a new database of the kind under test, seeded like the suite's."""
    if DATABASE_URL.startswith("postgresql"):
        name = DATABASE_URL.rsplit("/", 1)[1] + "_drill"
        with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    else:
        name, url = None, f"sqlite:///{tmp_path / 'drill.sqlite3'}"
    application = make_app(SQLALCHEMY_DATABASE_URI=url, UPLOAD_FOLDER=str(tmp_path / "up"))
    seed_reference_data(application)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    if name:
        with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def rated_case_with_files():
    files = [uploads.prepare("现场照片.png", png_bytes((200, 30, 30)), 5 << 20),
             uploads.prepare("材料.pdf", PDF, 5 << 20)]
    case, _code = make_case(attachments=files)
    release_reply(case, NOW, body_html="<p>已增开窗口。</p>", note="已电话联系")
    rating.rate_case(case, value="basically_satisfied", reason="", now=NOW)


def questionnaire_answers():
    land = unit("land")
    q = appraisal.create_questionnaire(
        campaign=current_campaign(NOW.date()), title="2026年度问卷", intro="请评价",
        unit_ids=[land.id], weights=(100, 80, 0), min_answers=1, public_link=False)
    appraisal.set_state(questionnaire=q, is_open=True)
    invitation = appraisal.invite(questionnaire=q, name="李四", group="representative")
    appraisal.submit_response(questionnaire=q, invitation=invitation, group="representative",
                              ratings={(land.id, None): "satisfied"},
                              opinions={land.id: ("希望延长周末办事时间", None)}, now=NOW)


def every_row():
    """Each table's rows in key order: what must come back exactly."""
    return {
        table.name: db.session.execute(
            select(table).order_by(*table.primary_key.columns)).all()
        for table in db.metadata.sorted_tables
    }


def file_hashes(folder):
    root = Path(folder)
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file()}


def run(application, *args):
    return application.test_cli_runner().invoke(args=list(args), catch_exceptions=False)


def test_backup_wipe_restore_brings_back_every_row_and_file(drill, tmp_path):
    folder = Path(drill.config["UPLOAD_FOLDER"])
    with drill.app_context():
        rated_case_with_files()
        make_case(attachments=[uploads.prepare("另一张.png", png_bytes((0, 90, 0)), 5 << 20)],
                  title="道路规划公示看不到")
        questionnaire_answers()
        before = every_row()
        assert {n: len(before[n]) for n in ("case", "attachment", "rating", "answer",
                                            "response")} == {
            "case": 3, "attachment": 3, "rating": 1, "answer": 1, "response": 1}
        assert len(before["case_event"]) == 14
        files = file_hashes(folder)
        assert len(files) == 3
        db.session.remove()

    backup_dir = tmp_path / "backup-1"
    result = run(drill, "backup", str(backup_dir))
    assert result.exit_code == 0, result.output
    kind = "postgresql" if DATABASE_URL.startswith("postgresql") else "sqlite"
    assert result.output == f"backed up the {kind} database and 3 files to {backup_dir}\n"
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    assert {n: e["sha256"] for n, e in manifest["files"].items()} == files

    with drill.app_context():  # the wipe: no table, no file
        db.drop_all()
        db.session.remove()
        db.engine.dispose()
    for path in folder.iterdir():
        path.unlink()

    result = run(drill, "restore", str(backup_dir))
    assert result.exit_code == 0, result.output
    assert result.output == f"restored the {kind} database and 3 files from {backup_dir}\n"
    with drill.app_context():
        assert every_row() == before
        db.session.remove()
    assert file_hashes(folder) == files
    assert run(drill, "check-files").exit_code == 0


def test_restore_refuses_a_database_or_upload_folder_that_is_not_empty(drill, tmp_path):
    with drill.app_context():
        make_case(attachments=[uploads.prepare("a.pdf", PDF, 5 << 20)])
        db.session.remove()
    backup_dir = tmp_path / "backup-2"
    assert run(drill, "backup", str(backup_dir)).exit_code == 0
    refused = run(drill, "restore", str(backup_dir))
    assert refused.exit_code == 1
    assert "the database already has" in refused.output
    assert "restore only into an empty database" in refused.output

    with drill.app_context():
        db.drop_all()
        db.session.remove()
    refused = run(drill, "restore", str(backup_dir))
    assert refused.exit_code == 1
    assert "already holds 1 files; restore only into an empty upload folder" in refused.output
    with drill.app_context():
        assert db.session.execute(text("SELECT 1")).scalar() == 1
        db.session.remove()


def test_a_backup_goes_into_a_new_folder_and_a_damaged_one_is_refused(drill, tmp_path):
    used = tmp_path / "used"
    used.mkdir()
    (used / "x").write_text("x")
    result = run(drill, "backup", str(used))
    assert (result.exit_code, "is not empty; a backup goes into a new folder" in result.output) \
        == (1, True)
    with drill.app_context():
        make_case(attachments=[uploads.prepare("a.pdf", PDF, 5 << 20)])
        db.session.remove()
    backup_dir = tmp_path / "backup-3"
    run(drill, "backup", str(backup_dir))
    (stored,) = (backup_dir / "uploads").iterdir()
    stored.write_bytes(PDF + b"tampered")
    result = run(drill, "restore", str(backup_dir))
    assert result.exit_code == 1
    assert f"upload {stored.name} is missing or does not match the manifest" in result.output


def test_check_files_lists_rows_without_files_and_files_without_rows(app, tmp_path):
    # No app context held here: the command would use it instead of this app's.
    checked = make_app(UPLOAD_FOLDER=str(tmp_path / "files"))
    with checked.app_context():
        make_case(attachments=[uploads.prepare("a.pdf", PDF, 5 << 20),
                               uploads.prepare("b.png", png_bytes((1, 2, 3)), 5 << 20)])
        first, second = db.session.scalars(select(Attachment.stored_name)
                                           .order_by(Attachment.id)).all()
        db.session.remove()
    clean = run(checked, "check-files")
    assert (clean.exit_code, clean.output) == (0, "0 rows without a file, 0 files without a row\n")

    (tmp_path / "files" / first).unlink()
    (tmp_path / "files" / "stray.pdf").write_bytes(PDF)
    (tmp_path / "files" / "pending").mkdir()
    (tmp_path / "files" / "pending" / "held.pdf").write_bytes(PDF)  # held, not an attachment
    found = run(checked, "check-files")
    assert found.exit_code == 1
    assert found.output == (f"row without file: {first}\nfile without row: stray.pdf\n"
                            "1 rows without a file, 1 files without a row\n")
    assert second not in found.output
