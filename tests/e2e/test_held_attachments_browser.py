"""In a real browser: a citizen picks two files, mistypes the captcha, sees both files kept,
removes one, and files the case with the other without choosing it again."""

import shutil
from pathlib import Path

from sqlalchemy import select

from models import Case, db
from tests.e2e.conftest import shot
from tests.e2e.test_browser import solve_captcha

PDF_KEPT = b"%PDF-1.4\n1 0 obj<< /Title (kept) >>endobj\ntrailer<<>>\n%%EOF\n"
PDF_DROPPED = b"%PDF-1.4\n1 0 obj<< /Title (dropped) >>endobj\ntrailer<<>>\n%%EOF\n"


def test_files_survive_a_wrong_captcha_and_one_can_be_removed(browser, live, app, ctx, tmp_path):
    shutil.rmtree(Path(app.config["UPLOAD_FOLDER"]) / "pending", ignore_errors=True)
    (tmp_path / "现场照片说明.pdf").write_bytes(PDF_KEPT)
    (tmp_path / "wrong.pdf").write_bytes(PDF_DROPPED)
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(f"{live.url}/file")
    page.check("input[name=kind][value=complaint]")
    page.select_option("#topic", label="工作作风")
    page.fill("#title", "附件不应丢失的标题")
    page.fill("#content", "第一次验证码输错了，附件应当还在。")
    page.set_input_files("#attachments", [str(tmp_path / "现场照片说明.pdf"),
                                          str(tmp_path / "wrong.pdf")])
    page.fill("input[name=captcha]", "ZZZZZ")
    page.click("button[type=submit]")
    page.wait_for_selector("text=已保留的附件")
    shot(page, "held-attachments")
    assert page.locator("input[name=remove_held]").count() == 2
    assert page.input_value("#title") == "附件不应丢失的标题"
    page.check("label:has-text('删除“wrong.pdf”')")
    solve_captcha(page, live)
    page.click("button[type=submit]")
    page.wait_for_selector("text=已收到您反映的问题")
    db.session.expire_all()
    case = db.session.scalars(select(Case).where(Case.title == "附件不应丢失的标题")).one()
    (attachment,) = case.attachments
    assert attachment.original_name == "现场照片说明.pdf"
    stored = Path(live.app.config["UPLOAD_FOLDER"]) / attachment.stored_name
    assert stored.read_bytes() == PDF_KEPT
