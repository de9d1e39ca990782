"""Bad input: every error beside its field, in Chinese, with what was typed kept."""

import pytest
from sqlalchemy import select

from models import Case, db
from tests.factories import count_cases, form_data


def post(client, **overrides):
    response = client.post("/file", data=form_data(**overrides))
    return response, response.get_data(as_text=True)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("title", "太短", "标题应为 5 至 50 个字"),
        ("title", "长" * 51, "标题应为 5 至 50 个字"),
        ("title", "", "请填写标题"),
        ("content", "内容太短", "内容应为 10 至 2000 个字"),
        ("content", "长" * 2001, "内容应为 10 至 2000 个字"),
        ("kind", "", "请选择类别"),
        ("kind", "bribe", None),
        ("topic", "", "请选择评议内容"),
        ("phone", "call me maybe", "请填写有效的电话号码"),
        ("email", "not-an-email", "请填写有效的电子邮箱地址"),
    ],
)
def test_field_errors_are_shown_beside_the_field(client, ctx, field, value, message):
    response, html = post(client, **{field: value})
    assert response.status_code == 400
    assert f'id="{field}-err"' in html
    if message:
        assert message in html
    assert "请修改以下问题后再提交" in html
    assert count_cases() == 0


def test_typed_text_is_kept_after_an_error(client, ctx):
    _r, html = post(client, title="短", content="这里是我写了很久的内容，请不要丢掉。")
    assert "这里是我写了很久的内容，请不要丢掉。" in html
    assert 'value="138 0013 8000"' in html and 'value="zhangsan@example.com"' in html


@pytest.mark.parametrize("field", ["title", "content", "name", "phone", "email"])
def test_nul_bytes_and_control_characters_are_refused(client, ctx, field):
    good = form_data()[field]
    response, html = post(client, **{field: good[:3] + "\x00" + good[3:]})
    assert response.status_code == 400
    assert count_cases() == 0
    if field in ("title", "content", "name"):
        assert "含有不允许的控制字符" in html


def test_escape_character_in_content_is_refused(client, ctx):
    response, html = post(client, content="正常的文字内容\x1b[31m 红色")
    assert response.status_code == 400 and "含有不允许的控制字符" in html


def test_forged_unit_and_topic_ids_are_refused(client, ctx):
    for field in ("target_unit", "topic"):
        for value in ("999999", "abc", "-1"):
            response, html = post(client, **{field: value})
            assert response.status_code == 400, (field, value)
            assert f'id="{field}-err"' in html
    assert count_cases() == 0


def test_extra_fields_cannot_set_status_or_unit(client, ctx):
    response, _html = post(client, status="closed", unit_id="3", number="PY1", channel="phone")
    assert response.status_code == 200
    case = db.session.scalars(select(Case)).one()
    assert case.status == "submitted" and case.unit_id is None and case.channel == "web"


def test_honeypot_filled_is_refused(client, ctx):
    response, html = post(client, website="http://spam.example")
    assert response.status_code == 400 and "提交未被接受" in html
    assert count_cases() == 0


def test_forged_submission_key_is_refused_and_replaced(client, ctx):
    response, html = post(client, submission_key="<script>")
    assert response.status_code == 400 and "表单已失效" in html
    assert "&lt;script&gt;" not in html and "<script>" not in html.split("<body>")[1].split(
        "site.js")[0]


def test_oversized_body_gets_413_in_chinese(client, ctx):
    big = "长" * (6 * 1024 * 1024)
    response = client.post("/file", data=form_data(content=big))
    assert response.status_code == 413
    assert "提交的内容过大" in response.get_data(as_text=True)


def test_unknown_pages_are_404(client):
    response = client.get("/track/../../etc/passwd")
    assert response.status_code == 404 or response.status_code == 302
    assert client.get("/no-such-page").status_code == 404
    assert "页面不存在" in client.get("/no-such-page").get_data(as_text=True)


def test_lookup_with_empty_fields_explains(client):
    response = client.post("/track", data={"number": "", "code": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "请填写受理编号" in html and "请填写查询码" in html


def test_lookup_refuses_nul_bytes(client):
    response = client.post("/track", data={"number": "PY2026\x00000001", "code": "ABC"})
    assert response.status_code == 400
    assert "含有不允许的控制字符" in response.get_data(as_text=True)


def test_wrong_type_for_kind_is_a_4xx_not_a_crash(client, ctx):
    response = client.post("/file", data={"kind": ["complaint", "praise"], "title": ["a", "b"]})
    assert response.status_code == 400


def test_database_down_gives_503_and_keeps_the_text(app):
    from tests.appconfig import make_app

    down = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://postgres@127.0.0.1:1/none")
    client = down.test_client()
    response = client.post("/file", data={"title": "停电期间写的标题",
                                          "content": "数据库停了，这段话也不能丢。"})
    html = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "系统暂时无法处理请求" in html
    assert "停电期间写的标题" in html and "数据库停了，这段话也不能丢。" in html
    assert client.get("/").status_code == 503
