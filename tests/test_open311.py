"""The Open311 GeoReport v2 API over real HTTP, in JSON and XML: discovery, services, filing
(the same case the web form files), reading back public fields only, and every refusal in the
spec's error format."""


import pytest
from sqlalchemy import select

from models import Case, db
from portal.services import api_keys, intake
from tests.factories import NOW, count_cases, form_data, make_case, unit
from tests.open311_client import (
    BASE,
    CONTENT,
    call,
    errors_json,
    errors_xml,
    get,
    post,
    production_like_server,
)

APPRAISED = ["office", "compilation", "land", "building", "transport", "inspection", "survey",
             "info"]


@pytest.fixture
def live(app):
    with production_like_server() as server:
        yield server


@pytest.fixture
def key(ctx):
    made, secret = api_keys.create_api_key(name="市12345平台", now=NOW)
    return made.id, secret


def filing(secret, **overrides):
    data = {"api_key": secret, "service_code": "complaint-style", "description": CONTENT}
    data.update(overrides)
    return data


def test_discovery_in_both_formats(live):
    answer = get(live, f"{BASE}/discovery.json")
    assert answer.status == 200
    doc = answer.json()
    assert doc["changeset"] == "2026-12-02 00:00"
    assert doc["endpoints"] == [{
        "specification": "http://wiki.open311.org/GeoReport_v2",
        "url": "http://127.0.0.1:5000/open311/v2/", "changeset": "2026-12-02 00:00",
        "type": "production", "formats": ["text/xml", "application/json"]}]
    root = get(live, f"{BASE}/discovery.xml").xml()
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml", "application/json"]
    assert root.findtext("endpoints/endpoint/specification") == "http://wiki.open311.org/GeoReport_v2"


def test_services_are_each_kind_with_each_topic(live):
    services = get(live, f"{BASE}/services.json").json()
    assert len(services) == 30
    assert services[4] == {
        "service_code": "complaint-style", "service_name": "投诉：工作作风",
        "description": "投诉，评议内容为“工作作风”。15 个工作日内答复。", "metadata": True,
        "type": "realtime", "keywords": "投诉, 工作作风, complaint, style", "group": "投诉"}
    root = get(live, f"{BASE}/services.xml?jurisdiction_id=127.0.0.1").xml()
    codes = [s.findtext("service_code") for s in root.findall("service")]
    assert codes == [s["service_code"] for s in services]
    assert root.find("service/metadata").text == "true"


def test_service_definition_offers_title_section_and_consent(live):
    definition = get(live, f"{BASE}/services/report-enforcement.json").json()
    assert definition["service_code"] == "report-enforcement"
    assert [a["code"] for a in definition["attributes"]] == ["title", "section", "publish"]
    section = definition["attributes"][1]
    assert section["datatype"] == "singlevaluelist" and section["required"] is False
    assert [v["key"] for v in section["values"]] == APPRAISED
    assert [v["key"] for v in definition["attributes"][2]["values"]] == ["true", "false"]
    root = get(live, f"{BASE}/services/report-enforcement.xml").xml()
    assert root.tag == "service_definition"
    assert [k.text for k in root.findall("attributes/attribute/values/value/key")] == [
        *APPRAISED, "true", "false"]


@pytest.mark.parametrize("fmt,read", [("json", errors_json), ("xml", errors_xml)])
def test_unknown_service_code_is_404(live, fmt, read):
    answer = get(live, f"{BASE}/services/pothole.{fmt}")
    assert answer.status == 404
    assert read(answer) == [(404, "service_code 不存在：pothole")]


def test_the_spec_example_filing_makes_the_case_the_web_form_makes(live, key, ctx):
    """The spec's example POST, with our service code and a section of ours."""
    key_id, secret = key
    answer = post(live, f"{BASE}/requests.json", {
        "api_key": secret, "jurisdiction_id": "127.0.0.1", "service_code": "complaint-style",
        "lat": "37.76524078", "long": "-122.4212043", "address_string": "1234 5th street",
        "email": "smit333@sfgov.edu", "device_id": "tt222111", "account_id": "123456",
        "first_name": "john", "last_name": "smith", "phone": "111111111",
        "description": "A large sinkhole is destroying the street",
        "media_url": "http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg",
        "attribute[section]": "land", "attribute[WHISPAWN]": "123456"})
    assert answer.status == 200, answer.text
    receipt = answer.json()
    assert len(receipt) == 1 and set(receipt[0]) == {
        "service_request_id", "token", "service_notice", "account_id"}  # no query code
    db.session.remove()
    case = db.session.scalars(select(Case)).one()
    assert receipt[0]["service_request_id"] == case.number
    assert receipt[0]["token"] == case.api_token and len(case.api_token) == 32
    assert (case.channel, case.api_key_id, case.kind) == ("api", key_id, "complaint")
    assert (case.name, case.email, case.phone) == ("john smith", "smit333@sfgov.edu", "111111111")
    assert case.title == "A large sinkhole is destroying the street"
    assert case.target_unit_id == unit("land").id
    assert case.events[0].note == (
        "Open311: 市12345平台\nlat/long: 37.7652408,-122.4212043\n"
        "address_string: 1234 5th street\n"
        "media_url: http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg")
    # The web form's case of the same moment has the same status, clock and first event.
    web, _code = make_case(now=case.received_at)
    assert (web.status, web.accept_due_on, web.due_on, web.calendar_known) == (
        case.status, case.accept_due_on, case.due_on, case.calendar_known)
    assert [(e.action, e.actor_role, e.to_status) for e in case.events] == [
        ("submitted", "citizen", "submitted")]
    assert [(e.action, e.actor_role, e.to_status) for e in web.events] == [
        ("submitted", "citizen", "submitted")]


def test_xml_filing_by_a_trusted_partner_relays_the_query_code(live, ctx):
    made, secret = api_keys.create_api_key(name="移动应用", trusted_to_relay_code=True, now=NOW)
    answer = post(live, f"{BASE}/requests.xml", filing(secret, first_name="三", last_name="张",
                                                       **{"attribute[publish]": "true"}))
    assert answer.status == 200, answer.text
    request = answer.xml().find("request")
    number, code = request.findtext("service_request_id"), request.findtext("query_code")
    db.session.remove()
    found = intake.verify_lookup(number, code)
    assert found is not None and found.name == "张三" and found.publish_consent is True
    assert found.title == "上周三在办事大厅等了两个小时，窗口只开了一个。"
    token = get(live, f"{BASE}/tokens/{request.findtext('token')}.json").json()
    assert token == [{"service_request_id": number, "token": request.findtext("token")}]
    root = get(live, f"{BASE}/tokens/{request.findtext('token')}.xml").xml()
    assert root.findtext("request/service_request_id") == number
    assert get(live, f"{BASE}/tokens/{'0' * 32}.json").status == 404


def test_csrf_does_not_apply_but_the_form_rules_do(live, key):
    """The live app has CSRF and the captcha on: a filing without either is taken, and one
    that breaks the web form's rules is refused with each field named."""
    _id, secret = key
    answer = post(live, f"{BASE}/requests.json", filing(
        secret, description="太短", email="not-an-address", phone="abc",
        **{"attribute[title]": "短"}))
    assert answer.status == 400
    assert sorted(errors_json(answer)) == sorted([
        (400, "attribute[title]: 标题应为 5 至 50 个字。"),
        (400, "description: 内容应为 10 至 2000 个字。"),
        (400, "phone: 请填写有效的电话号码（数字、空格或短横线）。"),
        (400, "email: 请填写有效的电子邮箱地址。")])
    assert post(live, f"{BASE}/requests.json", filing(secret)).status == 200


@pytest.mark.parametrize("fmt,read", [("json", errors_json), ("xml", errors_xml)])
def test_bad_keys_are_403(live, key, ctx, fmt, read):
    key_id, secret = key
    expected = [(403, "api_key 缺失、无效或已停用，无法提交。")]
    for sent in ({}, {"api_key": ""}, {"api_key": secret[:-1]}, {"api_key": "x" * 5000}):
        answer = post(live, f"{BASE}/requests.{fmt}", filing(secret) | sent if sent else {
            k: v for k, v in filing(secret).items() if k != "api_key"})
        assert (answer.status, read(answer)) == (403, expected), sent
    from models import ApiKey

    api_keys.set_api_key_enabled(key=db.session.get(ApiKey, key_id), enabled=False)
    assert post(live, f"{BASE}/requests.{fmt}", filing(secret)).status == 403
    api_keys.set_api_key_enabled(key=db.session.get(ApiKey, key_id), enabled=True)
    new_secret = api_keys.rotate_api_key(key=db.session.get(ApiKey, key_id), now=NOW)
    assert post(live, f"{BASE}/requests.{fmt}", filing(secret)).status == 403
    assert post(live, f"{BASE}/requests.{fmt}", filing(new_secret)).status == 200
    assert count_cases() == 1


@pytest.mark.parametrize("sent,status,description", [
    ({"service_code": ""}, 400, "请提供 service_code。"),
    ({"service_code": "pothole"}, 404, "service_code 不存在：pothole"),
    ({"jurisdiction_id": "sfgov.org"}, 404, "jurisdiction_id 不存在：本接口只服务 127.0.0.1。"),
    ({"lat": "37.7"}, 400, "lat 和 long 须同时提供。"),
    ({"lat": "91", "long": "0"}, 400, "lat 和 long 须为数字（WGS84 坐标）。"),
    ({"lat": "nan", "long": "0"}, 400, "lat 和 long 须为数字（WGS84 坐标）。"),
    ({"media_url": "javascript:alert(1)"}, 400, "media_url 须为 http 或 https 地址。"),
    ({"address_string": "路" * 201}, 400, "address_string：不超过 200 个字，且不含控制字符。"),
    ({"first_name": "名" * 51}, 400, "first_name：不超过 50 个字，且不含控制字符。"),
    ({"description": "字" * 2001}, 400, "description: 内容应为 10 至 2000 个字。"),
    ({"description": CONTENT + "\x00"}, 400, "description: 含有不允许的控制字符（如空字符），请删除后再提交。"),
    ({"attribute[section]": "nowhere"}, 400,
     "attribute[section]：没有这个科室，请按服务定义中的取值填写。"),
    ({"attribute[publish]": "yes"}, 400, "attribute[publish] 只能是 true 或 false。"),
])
def test_bad_fields_are_refused_in_the_error_format(live, key, ctx, sent, status, description):
    _id, secret = key
    for fmt, read in (("json", errors_json), ("xml", errors_xml)):
        answer = post(live, f"{BASE}/requests.{fmt}", filing(secret, **sent))
        assert (answer.status, read(answer)) == (status, [(status, description)])
    assert count_cases() == 0


def test_a_body_over_the_size_limit_is_413_in_the_error_format(live, key):
    _id, secret = key
    body = f"api_key={secret}&service_code=complaint-style&description=".encode() + b"a" * (
        17 * 1024 * 1024)
    answer = call(live, "POST", f"{BASE}/requests.xml", body=body,
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert (answer.status, errors_xml(answer)) == (413, [(413, "提交的内容过大。")])


def test_unknown_paths_and_formats_are_404(live):
    """An unknown format falls back to JSON, an unknown path in XML stays XML; each names it."""
    csv = get(live, f"{BASE}/services.csv")
    assert (csv.status, errors_json(csv)) == (404, [(404, "没有这个接口：/open311/v2/services.csv")])
    xml = get(live, f"{BASE}/nothing.xml")
    assert (xml.status, errors_xml(xml)) == (404, [(404, "没有这个接口：/open311/v2/nothing.xml")])


def test_web_filing_still_works_beside_the_api(client, ctx):
    assert client.post("/file", data=form_data()).status_code == 200
    assert db.session.scalars(select(Case.channel)).all() == ["web"]
