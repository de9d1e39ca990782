"""The rectification ledger: the office reviews a commitment before the public reads it;
evidence may be files, checked like a filing's attachments; "conditions not ripe" comes with
a plan and a reason the public reads; a committed date already past is refused on entry."""

import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from models import DomainError, EvidenceFile, FieldError, Problem, current_campaign, db, utcnow
from portal.services import rectification
from portal.services.clock import local_date
from tests.factories import NOW, login, staff, unit
from tests.test_uploads import PDF, jpeg_with_gps

FUTURE = (date.today() + timedelta(days=40)).isoformat()


def add(client, **overrides):
    data = {"unit": str(unit("land").id), "source": "inspection", "description": "窗口排队太久",
            "measures": "增设导办岗位", "responsible": "陈静", "committed_on": FUTURE}
    return client.post("/staff/ledger", data=data | overrides)


def the_problem():
    return db.session.scalars(select(Problem)).one()


def public_page(app):
    return app.test_client().get("/commitments").get_data(as_text=True)


def test_a_committed_date_before_today_is_refused_by_the_service(app, ctx):
    campaign = current_campaign(date(2026, 7, 1))
    common = {"unit_id": unit("land").id, "campaign": campaign, "source": "self_inspection",
              "description": "问题", "measures": "措施", "responsible": "某人",
              "actor": staff("land_lead"), "now": NOW}
    with pytest.raises(FieldError, match=r"承诺整改时限不能早于今天（2026-07-01）。") as refused:
        rectification.add_problem(committed_on=date(2026, 6, 30), **common)
    assert refused.value.field == "committed_on"
    rectification.add_problem(committed_on=date(2026, 7, 1), **common)  # today is allowed
    assert the_problem().committed_on == date(2026, 7, 1)


def test_a_past_committed_date_answers_400_beside_the_field_and_keeps_the_text(app, ctx):
    lead = login(app.test_client(), app, "land_lead")
    yesterday = (local_date(utcnow()) - timedelta(days=1)).isoformat()
    response = add(lead, committed_on=yesterday, description="昨天就该改完的问题")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'id="committed_on-err">承诺整改时限不能早于今天（\d{4}-\d\d-\d\d）。', html)
    assert "昨天就该改完的问题" in html and f'value="{yesterday}"' in html
    assert db.session.scalars(select(Problem)).first() is None


def test_the_public_reads_a_commitment_only_after_the_office_reviewed_it(app, ctx):
    lead = login(app.test_client(), app, "land_lead")
    assert add(lead).status_code == 302
    problem = the_problem()
    assert "增设导办岗位" not in public_page(app)
    assert "待评议办审核，尚未公开" in lead.get("/staff/ledger").get_data(as_text=True)
    # Only the office reviews: a unit leader is refused, even for their own unit.
    assert lead.post(f"/staff/ledger/{problem.id}/review").status_code == 403
    with pytest.raises(DomainError, match="整改承诺由评议办审核。"):
        rectification.review_problem(problem=problem, actor=staff("land_lead"), now=NOW)
    db.session.refresh(problem)
    assert (problem.reviewed_by_id, problem.reviewed_at) == (None, None)
    office = login(app.test_client(), app, "office")
    assert office.post(f"/staff/ledger/{problem.id}/review").status_code == 302
    db.session.refresh(problem)
    assert problem.reviewed_by_id == staff("office").id and problem.reviewed_at is not None
    assert "增设导办岗位" in public_page(app)
    again = office.post(f"/staff/ledger/{problem.id}/review")
    assert again.status_code == 409 and "该整改承诺已审核公开。" in again.get_data(as_text=True)
    assert office.post("/staff/ledger/999999/review").status_code == 404


def test_conditions_not_ripe_need_a_plan_and_a_reason_which_the_public_reads(app, ctx):
    lead = login(app.test_client(), app, "land_lead")
    add(lead)
    problem = the_problem()
    login(app.test_client(), app, "office").post(f"/staff/ledger/{problem.id}/review")
    missing = lead.post(f"/staff/ledger/{problem.id}", data={
        "progress": "not_ripe", "unripe_reason": "需市政府统一立项"})
    html = missing.get_data(as_text=True)
    assert missing.status_code == 400
    assert f'id="p{problem.id}-unripe_plan-err">条件不成熟的问题请填写下一步计划。' in html
    assert "需市政府统一立项" in html  # what was typed comes back
    no_reason = lead.post(f"/staff/ledger/{problem.id}", data={
        "progress": "not_ripe", "unripe_plan": "明年一季度列入计划"})
    assert no_reason.status_code == 400
    assert "条件不成熟的问题请向群众说明原因。" in no_reason.get_data(as_text=True)
    done = lead.post(f"/staff/ledger/{problem.id}", data={
        "progress": "not_ripe", "unripe_plan": "明年一季度列入计划",
        "unripe_reason": "需市政府统一立项"})
    assert done.status_code == 302
    page = public_page(app)
    assert "条件不成熟" in page and "计划：明年一季度列入计划" in page
    assert "原因：需市政府统一立项" in page
    db.session.refresh(problem)
    assert problem.progress == "not_ripe" and not problem.overdue(date(2999, 1, 1))


def post_progress(client, problem, files, **data):
    body = {"progress": "done", **data,
            "evidence_files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(f"/staff/ledger/{problem.id}", data=body,
                       content_type="multipart/form-data")


def test_evidence_files_pass_the_filing_checks_and_stay_with_the_unit(app, ctx):
    lead = login(app.test_client(), app, "land_lead")
    add(lead)
    problem = the_problem()
    script = b"%PDF-1.4\n1 0 obj<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>endobj"
    refused = post_progress(lead, problem, [("整改通知.pdf", script)])
    assert refused.status_code == 400
    assert "含有脚本、自动操作或嵌入文件，不能接受" in refused.get_data(as_text=True)
    html_as_pdf = post_progress(lead, problem, [("a.pdf", b"<html><script>x</script>")])
    assert "不是 JPG、PNG 或 PDF 文件" in html_as_pdf.get_data(as_text=True)
    db.session.refresh(problem)
    assert problem.progress == "not_started" and problem.evidence_files == []

    # Files alone are evidence enough to mark it done; the photo loses its EXIF as a filing's.
    ok = post_progress(lead, problem, [("现场.jpg", jpeg_with_gps()), ("通知.pdf", PDF)])
    assert ok.status_code == 302
    db.session.refresh(problem)
    assert problem.progress == "done" and problem.closed_on == local_date(utcnow())
    photo, notice = problem.evidence_files
    stored = (Path(app.config["UPLOAD_FOLDER"]) / photo.stored_name).read_bytes()
    assert b"SpyCam" not in stored and Image.open(io.BytesIO(stored)).getexif() == {}
    assert (notice.original_name, notice.mime) == ("通知.pdf", "application/pdf")
    download = lead.get(f"/staff/ledger/evidence/{notice.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Security-Policy"] == "sandbox"
    other = login(app.test_client(), app, "compilation_lead")
    assert other.get(f"/staff/ledger/evidence/{notice.id}").status_code == 404
    assert app.test_client().get(f"/staff/ledger/evidence/{notice.id}").status_code == 302


def test_too_many_evidence_files_are_refused(app, ctx):
    lead = login(app.test_client(), app, "land_lead")
    add(lead)
    problem = the_problem()
    response = post_progress(lead, problem, [(f"{i}.pdf", PDF) for i in range(4)])
    assert response.status_code == 400 and "最多上传 3 个附件。" in response.get_data(as_text=True)
    assert db.session.scalars(select(EvidenceFile)).first() is None
