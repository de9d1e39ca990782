"""Personal data retention: `flask purge-personal-data` lists (dry run) or erases contact
details and attachments of cases finished longer ago than the period; the text stays."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

import config
from models import Case, CaseEvent, db
from models.workflow import event_label
from portal.abuse import uploads
from portal.services import handling, rating
from tests.appconfig import make_app
from tests.factories import PDF, make_case, release_reply, staff

LONG_AGO = datetime(2022, 7, 1, 2, 0, tzinfo=UTC)  # more than three years before any run
RECENT = datetime(2025, 11, 3, 2, 0, tzinfo=UTC)  # less than three years before 2028-11


def closed_case(at, **fields):
    files = [uploads.prepare("身份证.pdf", PDF, 5 << 20), uploads.prepare("合同.pdf", PDF, 5 << 20)]
    case, _code = make_case(now=at, attachments=files, **fields)
    release_reply(case, at)
    rating.rate_case(case, value="satisfied", reason="", now=at)
    handling.close_case(case, actor=staff("office"), now=at)
    return case


def refused_case(at, **fields):
    case, _code = make_case(now=at, **fields)
    handling.refuse_case(case, actor=staff("office"), reason="不属职责", now=at)
    return case


@pytest.fixture
def retained(app, tmp_path):
    """An app with its own upload folder and a period that makes RECENT young (no context
    held: the command would use a held context instead of this app)."""
    application = make_app(UPLOAD_FOLDER=str(tmp_path / "up"))
    with application.app_context():
        old = closed_case(LONG_AGO, title="旧案件：窗口排队")
        young = closed_case(RECENT)
        refused_anonymous = refused_case(LONG_AGO, name="", phone="", email="")
        refused_phone = refused_case(LONG_AGO, name="", email="", phone="13900001111")
        still_open, _ = make_case(now=LONG_AGO)
        handling.accept_case(still_open, actor=staff("office"), now=LONG_AGO)
        ids = {"old": old.id, "young": young.id, "anonymous": refused_anonymous.id,
               "phone": refused_phone.id, "open": still_open.id}
        names = {"old": old.number, "phone": refused_phone.number}
        files = [a.stored_name for a in old.attachments]
        assert len(files) == 2  # the checks on the files below must have files to check
        db.session.remove()
    return application, ids, names, files


def run(application, *args):
    return application.test_cli_runner().invoke(args=["purge-personal-data", *args],
                                                 catch_exceptions=False)


def test_the_default_period_is_three_years():
    assert config.Config.PERSONAL_DATA_RETENTION_DAYS == 3 * 365


def test_a_dry_run_lists_what_it_would_erase_and_changes_nothing(retained):
    application, ids, names, files = retained
    result = run(application)
    assert result.exit_code == 0
    assert result.output == (
        f"{names['old']} finished 2022-07-01: would erase name, phone, email; 2 attachments\n"
        f"{names['phone']} finished 2022-07-01: would erase phone; 0 attachments\n"
        "2 cases due (retention 1095 days); run with --apply to erase\n")
    with application.app_context():
        old = db.session.get(Case, ids["old"])
        assert (old.name, old.phone, len(old.attachments)) == ("张三", "13800138000", 2)
        db.session.remove()
    folder = Path(application.config["UPLOAD_FOLDER"])
    assert all((folder / name).is_file() for name in files)


def test_apply_erases_contact_and_files_keeps_the_text_and_records_one_event(retained):
    application, ids, names, files = retained
    result = run(application, "--apply")
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "2 cases purged (retention 1095 days)"
    folder = Path(application.config["UPLOAD_FOLDER"])
    assert [name for name in files if (folder / name).exists()] == []
    with application.app_context():
        old = db.session.get(Case, ids["old"])
        assert (old.name, old.phone, old.email, old.address, old.attachments) == (
            "", "", "", "", [])
        assert (old.title, old.status) == ("旧案件：窗口排队", "closed")
        last = old.events[-1]
        assert (last.action, last.actor_role, last.from_status, last.to_status, last.note,
                last.public_note) == (
            "personal_data_purged", "system", "closed", "closed",
            "erased after 1095 days: name, phone, email; 2 attachments", "")
        assert event_label(last) == "保存期满，已删除联系方式和附件"
        young = db.session.get(Case, ids["young"])
        assert (young.name, len(young.attachments)) == ("张三", 2)
        still_open = db.session.get(Case, ids["open"])
        assert still_open.phone == "13800138000"
        purge_events = db.session.scalars(select(CaseEvent.case_id).where(
            CaseEvent.action == "personal_data_purged").order_by(CaseEvent.case_id)).all()
        assert purge_events == [ids["old"], ids["phone"]]
        db.session.remove()

    again = run(application, "--apply")
    assert again.output == "0 cases purged (retention 1095 days)\n"
    with application.app_context():
        assert db.session.scalars(select(CaseEvent.case_id).where(
            CaseEvent.action == "personal_data_purged")).all() == [ids["old"], ids["phone"]]
        db.session.remove()


def test_a_shorter_period_reaches_younger_cases(retained, app):
    application, ids, _names, _files = retained
    application.config["PERSONAL_DATA_RETENTION_DAYS"] = 30
    result = run(application)
    assert result.output.splitlines()[-1] == "3 cases due (retention 30 days); run with --apply to erase"
