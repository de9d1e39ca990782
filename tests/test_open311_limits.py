"""Each partner key has its own filing limit, counted in Redis; reads are limited per address;
a refusal is in the spec's error format."""

from portal.services import api_keys
from tests.appconfig import make_app, redis_fixture, redis_test_url
from tests.factories import NOW, count_cases
from tests.live import LiveServer
from tests.open311_client import CONTENT, errors_json, errors_xml, get, post

REDIS_URL = redis_test_url(1)
redis_client = redis_fixture(REDIS_URL)


def filing(secret):
    return {"api_key": secret, "service_code": "complaint-style", "description": CONTENT}


def test_each_key_has_its_own_filing_limit_in_redis(app, ctx, redis_client):
    first, first_secret = api_keys.create_api_key(name="甲平台", now=NOW)
    second, second_secret = api_keys.create_api_key(name="乙平台", now=NOW)
    served = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=REDIS_URL,
                      OPEN311_FILING_RATE_LIMIT="2 per hour")
    with LiveServer(served) as live:
        statuses = [post(live, "/open311/v2/requests.json", filing(first_secret)).status
                    for _ in range(2)]
        refused = post(live, "/open311/v2/requests.json", filing(first_secret))
        other = post(live, "/open311/v2/requests.xml", filing(second_secret))
        refused_xml = post(live, "/open311/v2/requests.xml", filing(first_secret))
    assert statuses == [200, 200]
    assert (refused.status, errors_json(refused)) == (429, [(429, "请求过于频繁，请稍后再试。")])
    assert (refused_xml.status, errors_xml(refused_xml)) == (429, [(429, "请求过于频繁，请稍后再试。")])
    assert other.status == 200
    assert count_cases() == 3
    stored = [k.decode() for k in redis_client.scan_iter("*open311-filing*")]
    assert sorted(k.split("/")[2] for k in stored) == sorted([f"key:{first.id}", f"key:{second.id}"])


def test_reads_are_limited_per_address(app, ctx, redis_client):
    served = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=REDIS_URL,
                      OPEN311_READ_RATE_LIMIT="3 per minute")
    with LiveServer(served) as live:
        statuses = [get(live, "/open311/v2/services.xml").status for _ in range(3)]
        refused = get(live, "/open311/v2/services.xml")
    assert statuses == [200, 200, 200]
    assert (refused.status, errors_xml(refused)) == (429, [(429, "请求过于频繁，请稍后再试。")])
