"""A new query code for a citizen who lost theirs (忘记查询码), sent to the e-mail address
given at filing."""

import hmac
import logging
import secrets

from flask import current_app

from models import Role, db, find_by_number, queue_mail
from models.typed_codes import normalize_number
from portal.services.intake import CODE_ALPHABET, CODE_LENGTH, _digest
from portal.services.transaction import rolls_back

log = logging.getLogger(__name__)


def _same_address(given, typed):
    """E-mail addresses compared without case (as people type them); in constant time so the
    answer's timing says nothing about the address on file."""
    return hmac.compare_digest(given.strip().lower().encode(), typed.strip().lower().encode())


@rolls_back
def reissue_code(*, number, email, now):
    """When ``number`` exists and ``email`` is the address given at filing, replace the query
    code (the old one stops working at once) and queue the new one to that address. Returns
    whether it did; the caller must answer the same either way."""
    case = find_by_number(normalize_number(number))
    on_file = case.email if case is not None and case.email else secrets.token_hex(8) + "@x"
    if case is None or not _same_address(on_file, email or ""):
        return False
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    case.query_code_hash = _digest(code)
    # The history says a code was sent, never the code: only its hash is kept.
    case.record("code_reissued", role=Role.CITIZEN, at=now)
    base = current_app.config["PORTAL_BASE_URL"].rstrip("/")
    queue_mail(case.email, f"[{case.number}] 新的查询码", (
        f"您好！您申请重新获取《{case.title}》（{case.number}）的查询码。\n\n"
        f"新的查询码：{code}\n\n原查询码已停止使用。查询办理进度：{base}/track\n"
        "如果不是您本人申请，请忽略本邮件；您的事项信息不会因此泄露。\n"
        f"{current_app.config['PORTAL_BUREAU_NAME']}民主评议领导小组办公室"), now=now)
    db.session.commit()
    log.info("query code reissued number=%s", case.number)
    return True
