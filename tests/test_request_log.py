"""One log line per request, with exactly the agreed fields and nothing a citizen typed."""

import io
import json
import re

import pytest

from portal.web import request_log
from tests.appconfig import make_app
from tests.factories import form_data, login, staff

LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} request request_id=(?P<id>[0-9a-f]{16}) "
    r"method=(?P<method>\S+) route=(?P<route>\S+) status=(?P<status>\d+) "
    r"duration_ms=(?P<ms>\d+\.\d) staff_user_id=(?P<staff>\S+)$"
)


@pytest.fixture
def log_lines():
    """What the request log really writes, read from its own handler's stream."""
    (handler,) = [h for h in request_log.log.handlers if getattr(h, "pingyi_request_log", 0)]
    stream = io.StringIO()
    old = handler.setStream(stream)
    yield lambda: stream.getvalue().splitlines()
    handler.setStream(old)


def test_a_staff_page_logs_one_line_with_the_staff_id(app, ctx, log_lines):
    client = login(app.test_client(), app, "office")
    before = len(log_lines())
    response = client.get("/staff/board")
    assert response.status_code == 200
    lines = log_lines()[before:]
    assert len(lines) == 1
    fields = LINE.match(lines[0]).groupdict()
    assert fields | {"ms": "x"} == {"id": response.headers["X-Request-ID"], "method": "GET",
                                    "route": "/staff/board", "status": "200", "ms": "x",
                                    "staff": str(staff("office").id)}


def test_a_filing_logs_the_route_but_no_contact_details_or_text(app, ctx, log_lines):
    data = form_data(submission_key="log-line-key-abcdefghij")
    response = app.test_client().post("/file", data=data)
    assert response.status_code == 200
    (line,) = log_lines()
    fields = LINE.match(line).groupdict()
    assert (fields["method"], fields["route"], fields["status"], fields["staff"]) == (
        "POST", "/file", "200", "-")
    for typed in ("张三", "13800138000", "138 0013 8000", "zhangsan", data["title"],
                  data["content"]):
        assert typed not in line


def test_the_route_is_the_rule_not_the_path(app, ctx, log_lines):
    response = app.test_client().get("/track/PY2026000001?code=SECRETCODE12")
    (line,) = log_lines()
    assert "PY2026000001" not in line and "SECRETCODE12" not in line
    fields = LINE.match(line).groupdict()
    assert (fields["route"], fields["status"]) == ("/track/<number>", "302")
    assert response.status_code == 302  # an untracked number goes back to the lookup form


def test_error_pages_show_the_request_id(app, ctx, log_lines):
    response = app.test_client().get("/no-such-page")
    request_id = response.headers["X-Request-ID"]
    assert response.status_code == 404
    assert f'<span class="mono">{request_id}</span>' in response.get_data(as_text=True)
    fields = LINE.match(log_lines()[0]).groupdict()
    assert (fields["id"], fields["route"], fields["status"]) == (request_id, "-", "404")


def test_a_proxy_request_id_is_kept_and_a_forged_one_replaced(app, ctx):
    client = app.test_client()
    kept = client.get("/healthz", headers={"X-Request-ID": "0123456789abcdef0123456789abcdef"})
    assert kept.headers["X-Request-ID"] == "0123456789abcdef0123456789abcdef"
    forged = client.get("/healthz", headers={"X-Request-ID": "x\u202e; rm -rf /"})
    assert re.fullmatch(r"[0-9a-f]{16}", forged.headers["X-Request-ID"])


def test_log_format_json_writes_one_json_object_per_line(app, ctx, log_lines):
    json_app = make_app(LOG_FORMAT="json")
    json_app.config["DEMO_PASSWORDS"] = app.config["DEMO_PASSWORDS"]
    try:
        with json_app.app_context():
            response = login(json_app.test_client(), json_app, "land_lead").get("/staff/board")
        entry = json.loads(log_lines()[-1])
        assert set(entry) == {"time", "event", "request_id", "method", "route", "status",
                              "duration_ms", "staff_user_id"}
        assert {k: entry[k] for k in ("event", "request_id", "method", "route", "status",
                                      "staff_user_id")} == {
            "event": "request", "request_id": response.headers["X-Request-ID"],
            "method": "GET", "route": "/staff/board", "status": 200,
            "staff_user_id": staff("land_lead").id}
        assert isinstance(entry["duration_ms"], float)
    finally:
        make_app()  # text again for the tests after this one


def test_an_unknown_log_format_is_refused(app):
    with pytest.raises(RuntimeError, match="LOG_FORMAT must be one of"):
        make_app(LOG_FORMAT="xml")
    make_app()


def test_an_unexpected_error_page_and_its_log_line_share_the_request_id(app, log_lines, caplog):
    broken = make_app(PROPAGATE_EXCEPTIONS=False)

    def boom():
        raise RuntimeError("a bug")

    broken.add_url_rule("/boom", "boom", boom)
    with broken.app_context():
        response = broken.test_client().get("/boom")
    request_id = response.headers["X-Request-ID"]
    assert response.status_code == 500
    assert f'<span class="mono">{request_id}</span>' in response.get_data(as_text=True)
    assert f"error request_id={request_id} route=/boom" in caplog.text
    fields = LINE.match(log_lines()[-1]).groupdict()
    assert (fields["id"], fields["route"], fields["status"]) == (request_id, "/boom", "500")


def test_the_time_is_each_lines_own_across_seconds():
    formatter = request_log.TextFormatter()

    def stamp(created):
        record = request_log.log.makeRecord("pingyi.request", 20, __name__, 0, "request", (),
                                            None)
        record.created, record.msecs = created, (created - int(created)) * 1000
        return formatter.formatTime(record)

    import time
    base = time.mktime((2026, 12, 4, 23, 59, 59, 0, 0, -1))
    assert stamp(base + 0.999) == "2026-12-04 23:59:59,999"
    assert stamp(base + 1.0) == "2026-12-05 00:00:00,000"
    assert stamp(base + 0.5) == "2026-12-04 23:59:59,500"  # an earlier second again
