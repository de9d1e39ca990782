"""A plain HTTP client for the Open311 tests: what a partner's system sends over the wire."""

import http.client
import json
import urllib.parse
import xml.etree.ElementTree as ET  # noqa: S405  (parses our own server's answers in tests)

FORM = "application/x-www-form-urlencoded; charset=utf-8"
BASE = "/open311/v2"
CONTENT = "上周三在办事大厅等了两个小时，窗口只开了一个。"


def production_like_server():
    """The portal as in production (CSRF and captcha on); limits off, their own test has them."""
    from tests.appconfig import make_app
    from tests.live import LiveServer

    return LiveServer(make_app(WTF_CSRF_ENABLED=True, CAPTCHA_ENABLED=True))


class Answer:
    def __init__(self, status, content_type, text):
        self.status, self.content_type, self.text = status, content_type, text

    def json(self):
        assert self.content_type == "application/json; charset=utf-8", self.content_type
        return json.loads(self.text)

    def xml(self):
        assert self.content_type == "text/xml; charset=utf-8", self.content_type
        assert self.text.startswith('<?xml version="1.0" encoding="utf-8"?>')
        return ET.fromstring(self.text.encode())  # noqa: S314


def call(server, method, path, form=None, body=None, headers=None):
    sent = dict(headers or {})
    if form is not None:
        body = urllib.parse.urlencode(form, doseq=True).encode()
        sent.setdefault("Content-Type", FORM)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        text = response.read().decode("utf-8")
    finally:
        conn.close()
    return Answer(response.status, response.getheader("Content-Type"), text)


def get(server, path):
    return call(server, "GET", path)


def post(server, path, form):
    return call(server, "POST", path, form=form)


def errors_json(answer):
    return [(e["code"], e["description"]) for e in answer.json()]


def errors_xml(answer):
    root = answer.xml()
    assert root.tag == "errors"
    return [(int(e.findtext("code")), e.findtext("description")) for e in root.findall("error")]
