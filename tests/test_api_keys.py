"""Partner API keys: the administrator's page and `flask api-key create` give a key once, only
its SHA-256 digest is stored, and disabling, rotating and trusting act on the API at once."""

import hashlib
import re

from sqlalchemy import select

from models import ApiKey, Case, db
from tests.factories import login
from tests.live import LiveServer
from tests.open311_client import CONTENT, post

SHOWN_ONCE = re.compile(r'<strong class="mono big">([^<]+)</strong>')


def filing(secret):
    return {"api_key": secret, "service_code": "suggestion-livelihood", "description": CONTENT}


def test_administrator_creates_trusts_rotates_and_disables_a_key(app, ctx):
    admin = login(app.test_client(), app, "admin")
    assert "接口密钥" in admin.get("/staff/board").get_data(as_text=True)
    made = admin.post("/staff/admin/api-keys", data={"name": "市12345平台"})
    html = made.get_data(as_text=True)
    assert made.status_code == 200 and "只显示这一次" in html
    secret = SHOWN_ONCE.search(html).group(1)
    key = db.session.scalars(select(ApiKey)).one()
    assert len(secret) == 43 and key.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert (key.name, key.key_prefix, key.enabled, key.trusted_to_relay_code) == (
        "市12345平台", secret[:6], True, False)
    assert secret not in admin.get("/staff/admin/api-keys").get_data(as_text=True)
    with LiveServer(app) as live:
        receipt = post(live, "/open311/v2/requests.json", filing(secret)).json()[0]
        assert "query_code" not in receipt
        assert admin.post(f"/staff/admin/api-keys/{key.id}/trust").status_code == 302
        receipt = post(live, "/open311/v2/requests.json", filing(secret)).json()[0]
        assert len(receipt["query_code"]) == 12
        rotated = admin.post(f"/staff/admin/api-keys/{key.id}/rotate").get_data(as_text=True)
        new_secret = SHOWN_ONCE.search(rotated).group(1)
        assert new_secret != secret
        assert post(live, "/open311/v2/requests.json", filing(secret)).status == 403
        assert post(live, "/open311/v2/requests.json", filing(new_secret)).status == 200
        assert admin.post(f"/staff/admin/api-keys/{key.id}/disable").status_code == 302
        assert post(live, "/open311/v2/requests.json", filing(new_secret)).status == 403
        assert admin.post(f"/staff/admin/api-keys/{key.id}/enable").status_code == 302
        assert post(live, "/open311/v2/requests.json", filing(new_secret)).status == 200
    db.session.remove()
    assert db.session.scalars(select(Case.api_key_id)).all() == [key.id] * 4
    assert db.session.get(ApiKey, key.id).rotated_at is not None


def test_bad_input_on_the_key_page(app, ctx):
    admin = login(app.test_client(), app, "admin")
    for name, message in (("", "请填写合作方名称。"), ("合" * 101, "字段长度不能超过 100 个字符。"),
                          ("a\x00b", "含有不允许的控制字符（如空字符），请删除后再提交。")):
        refused = admin.post("/staff/admin/api-keys", data={"name": name})
        assert refused.status_code == 400
        assert message in refused.get_data(as_text=True)
    assert db.session.scalars(select(ApiKey)).all() == []  # none made by a refused name
    assert admin.post("/staff/admin/api-keys/999/disable").status_code == 404
    admin.post("/staff/admin/api-keys", data={"name": "甲"})
    key_id = db.session.scalars(select(ApiKey.id)).one()
    assert admin.post(f"/staff/admin/api-keys/{key_id}/delete").status_code == 400
    office = login(app.test_client(), app, "office")
    assert office.get("/staff/admin/api-keys").status_code == 403
    assert office.post(f"/staff/admin/api-keys/{key_id}/disable").status_code == 403
    db.session.expire_all()
    assert [(k.name, k.enabled) for k in db.session.scalars(select(ApiKey))] == [("甲", True)]


def test_flask_api_key_create_prints_a_working_key_once(app, ctx):
    result = app.test_cli_runner().invoke(args=["api-key", "create", "移动应用", "--trusted"])
    assert result.exit_code == 0, result.output
    first_line, secret = result.output.strip().splitlines()
    key = db.session.scalars(select(ApiKey)).one()
    assert first_line == f"api key {key.id} for 移动应用 (shown only now):"
    assert key.trusted_to_relay_code is True
    assert key.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    with LiveServer(app) as live:
        assert post(live, "/open311/v2/requests.xml", filing(secret)).status == 200
    refused = app.test_cli_runner().invoke(args=["api-key", "create", "   "])
    assert refused.exit_code == 1 and "合作方名称应为" in refused.output
