"""A small HTTP client for tests against real servers: keeps cookies itself (the production
session cookie is Secure, which a cookie jar would not send over loopback http)."""

import http.client
import re
import urllib.parse


class Browserish:
    """One browser: its cookies, and optionally TLS (``tls``: an SSL context) and a source
    address of its own on loopback (``source``, e.g. 127.0.0.2), to stand for another client."""

    def __init__(self, base_url, timeout=10, tls=None, source=None):
        parsed = urllib.parse.urlsplit(base_url)
        self.scheme, self.host, self.port = parsed.scheme, parsed.hostname, parsed.port
        self.cookies = {}
        self.timeout, self.tls, self.source = timeout, tls, source

    def _connection(self):
        address = (self.source, 0) if self.source else None
        if self.tls is not None:
            return http.client.HTTPSConnection(self.host, self.port, context=self.tls,
                                               timeout=self.timeout, source_address=address)
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout,
                                          source_address=address)

    def exchange(self, method, path, body=None, headers=None, send_body=True):
        """(status, headers, text). ``send_body=False`` sends the headers only, as a client
        does whose body a proxy refuses before reading it."""
        conn = self._connection()
        sent = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            if send_body:
                conn.request(method, path, body=body, headers=sent)
            else:
                conn.putrequest(method, path, skip_host=True)
                for name, value in sent.items():
                    conn.putheader(name, value)
                conn.endheaders()
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, text

    def request(self, method, path, form=None, headers=None):
        body = urllib.parse.urlencode(form, doseq=True) if form is not None else None
        sent = dict(headers or {})
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Referer"] = f"{self.scheme}://{self.host}:{self.port}{path}"
        status, _headers, text = self.exchange(method, path, body, sent)
        return status, text

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, form):
        return self.request("POST", path, form=form)


def hidden(html, name):
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html)
    return match.group(1) if match else None
