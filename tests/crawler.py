"""A breadth-first crawler over the Flask test client: follows every same-site link, opens every
download, and submits every form empty and with hostile input; it collects every 5xx and every
download that does not open, so one run names all of them. ``crawl`` is the light walk of the
markup and language checks: every page once, a check on each, no forms submitted."""

import csv
import io
import re
import wave
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit
from xml.etree import ElementTree  # nosec B405 - parses the app's own SVG in tests

import openpyxl
from docx import Document
from PIL import Image

from tests.hostile_forms import variants


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: list = field(default_factory=list)  # [name, kind, value, options, checked]

    def signature(self):
        return (pattern(self.action), self.method, tuple(sorted({f[0] for f in self.fields})))


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.downloads, self.forms = [], [], []
        self._form, self._select, self._textarea = None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag in ("img", "audio", "source") and a.get("src"):
            self.downloads.append(a["src"])
        elif tag == "form":
            self._form = Form(a.get("action") or "", (a.get("method") or "get").lower(),
                              a.get("enctype") or "")
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            self._form.fields.append([a["name"], kind, a.get("value", ""), [],
                                      "checked" in a])
        elif tag == "button" and a.get("value") is not None:
            self._form.fields.append([a["name"], "button", a["value"], [], False])
        elif tag == "select":
            self._select = [a["name"], "select", None, [], False]
            self._form.fields.append(self._select)
        elif tag == "textarea":
            self._textarea = [a["name"], "textarea", "", [], False]
            self._form.fields.append(self._textarea)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


class _OptionParser(PageParser):
    """Options need their own hook: record each <option value> on the open select."""

    def handle_starttag(self, tag, attrs):
        if tag == "option" and self._select is not None:
            a = dict(attrs)
            self._select[3].append(a.get("value", ""))
            if "selected" in a or self._select[2] is None:
                self._select[2] = a.get("value", "")
            return
        super().handle_starttag(tag, attrs)


def parse(html):
    parser = _OptionParser()
    parser.feed(html)
    return parser


def pattern(url):
    """A URL's shape: numbers, case numbers and tokens replaced, so that one case page stands
    for all the case pages."""
    path = urlsplit(url).path
    path = re.sub(r"PY\d+", "PY#", path)
    path = re.sub(r"^/captcha/[^/]+\.", "/captcha/ID.", path)
    path = re.sub(r"\d+", "#", path)
    return re.sub(r"/q/(open/)?[^/]+$", r"/q/\1TOKEN", path)


def check_download(path, response):
    """None when the body opens as what its Content-Type says; otherwise what went wrong."""
    mime = response.mimetype
    body = response.get_data()
    try:
        if mime == "text/csv":
            rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
            assert rows and rows[0], "empty CSV"
        elif mime.endswith("spreadsheetml.sheet"):
            openpyxl.load_workbook(io.BytesIO(body), read_only=True).close()
        elif mime.endswith("wordprocessingml.document"):
            Document(io.BytesIO(body))
        elif mime in ("image/png", "image/jpeg"):
            Image.open(io.BytesIO(body)).verify()
        elif mime in ("audio/wav", "audio/x-wav"):
            with wave.open(io.BytesIO(body)) as w:
                assert w.getnframes() > 0, "empty WAV"
        elif mime == "image/svg+xml":
            root = ElementTree.fromstring(body)  # noqa: S314  # nosec B314 - the app's own SVG
            assert root.tag.endswith("svg"), root.tag
        elif mime == "application/pdf":
            assert body.startswith(b"%PDF-"), "not a PDF"
    except Exception as exc:  # noqa: BLE001 - any failure to open is the finding
        return f"{path}: {mime} does not open: {exc!r}"
    return None


class Crawler:
    """``crawl(starts)`` visits pages breadth-first, then submits the forms it found."""

    def __init__(self, client, *, skip=(), forms_under="/", max_per_pattern=2,
                 max_requests=600, relogin=None, on_page=None, only_ok=False):
        """``max_per_pattern=None`` reads every page, not a sample of each shape; ``on_page``
        gets (url, html) of each HTML page; ``only_ok`` makes any answer but 200 or a redirect
        a finding."""
        self.client, self.skip = client, [re.compile(s) for s in skip]
        self.on_page, self.only_ok, self.pages_read = on_page, only_ok, []
        self.forms_under = forms_under
        self.max_per_pattern, self.max_requests = max_per_pattern, max_requests
        self.relogin = relogin
        self.problems, self.visited, self.requests = [], set(), 0
        self.forms, self._form_sigs, self._patterns = [], {}, {}
        self.downloads_opened, self.submitted = set(), set()

    def _skipped(self, url):
        return any(s.search(url) for s in self.skip)

    def _local(self, base, href):
        url = urljoin(base, href)
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "localhost"):
            return None
        query = f"?{parts.query}" if parts.query else ""
        return f"{parts.path}{query}"

    def _request(self, method, url, **kwargs):
        """The answer, its body read to the end (a streamed body fails only then); any 5xx, or
        an exception a real server would turn into one, is a finding."""
        self.requests += 1
        shown = {k: (v[:40] if isinstance(v, str) else v[0])
                 for k, v in (kwargs.get("data") or {}).items()}
        try:
            response = self.client.open(url, method=method.upper(), **kwargs)
            response.get_data()
        except Exception as exc:  # noqa: BLE001 - the server would answer 500
            self.problems.append(f"500 ({exc!r:.200}) on {method.upper()} {url} {shown}")
            return None
        if response.status_code >= 500 or self.only_ok and response.status_code not in (
                200, 301, 302, 303, 307, 308):
            self.problems.append(f"{response.status_code} on {method.upper()} {url} {shown}")
        return response

    def _want(self, url):
        if url is None or url in self.visited or self._skipped(url):
            return False
        if self.max_per_pattern is None:
            return True
        shape = pattern(url) + ("?" if "?" in url else "")
        if self._patterns.get(shape, 0) >= self.max_per_pattern:
            return False
        self._patterns[shape] = self._patterns.get(shape, 0) + 1
        return True

    def _take(self, url, response, queue):
        if response is None:
            return
        if response.status_code in (301, 302, 303, 307, 308):
            self._follow(url, response, queue)
            return
        if response.mimetype != "text/html":
            self._open(url, response)
            return
        html = response.get_data(as_text=True)
        if response.status_code == 200:  # a page with content, not a refusal
            self.pages_read.append(url)
        if self.on_page is not None:
            self.on_page(url, html)
        self._inline_svgs(url, html)
        page = parse(html)
        for href in page.links + page.downloads:
            target = self._local(url, href)
            if self._want(target):
                queue.append(target)
        for form in page.forms:
            form.action = self._local(url, form.action or url)
            sig = form.signature()
            if form.action and form.action.startswith(self.forms_under) and \
                    not self._skipped(form.action) and not self._form_sigs.get(sig):
                self._form_sigs[sig] = self._form_sigs.get(sig, 0) + 1
                self.forms.append(form)

    def _follow(self, url, response, queue):
        target = self._local(url, response.headers.get("Location", ""))
        if target and "/staff/login" in target and self.relogin:
            self.relogin()
        elif self._want(target):
            queue.append(target)

    def _inline_svgs(self, url, html):
        """Charts and QR codes are drawn inline: each <svg> must be well-formed XML."""
        for svg in re.findall(r"<svg\b.*?</svg>", html, flags=re.S):
            try:
                ElementTree.fromstring(svg)  # noqa: S314  # nosec B314 - the app's own SVG
                self.downloads_opened.add("image/svg+xml")
            except ElementTree.ParseError as exc:
                self.problems.append(f"{url}: inline SVG does not parse: {exc}")

    def _open(self, url, response):
        problem = check_download(url, response)
        if problem:
            self.problems.append(problem)
        else:
            self.downloads_opened.add(response.mimetype)

    def crawl(self, starts, *, submit_forms=True):
        queue = deque(u for u in starts if not self._skipped(u))  # starts always, each once
        while queue and self.requests < self.max_requests:
            url = queue.popleft()
            if url in self.visited:
                continue
            self.visited.add(url)
            self._take(url, self._request("get", url), queue)
        for form in list(self.forms) if submit_forms else ():
            for data in variants(form):
                if self.requests >= self.max_requests:
                    break
                self.submit(form, data, queue)
        return self

    def submit(self, form, data, queue):
        self.submitted.add(pattern(form.action))
        if form.method == "get":
            path, _, query = form.action.partition("?")
            flat = dict(parse_qsl(query)) | {k: v for k, v in data.items()
                                             if not isinstance(v, tuple)}
            url = f"{path}?{urlencode(flat)}"
            response = self._request("get", url)
        else:
            files = {k: (io.BytesIO(v[1]), v[0]) for k, v in data.items() if isinstance(v, tuple)}
            plain = {k: v for k, v in data.items() if not isinstance(v, tuple)}
            response = self._request("post", form.action, data=plain | files,
                                     content_type="multipart/form-data" if files else None)
        if response is not None and response.status_code in (302, 303) and \
                "/staff/login" in response.headers.get("Location", "") and self.relogin:
            self.relogin()


# Downloads, the language switch and the captcha are no pages to read.
LIGHT_SKIP = (r"^/(static/|lang/|captcha/)", r"\.(csv|xlsx|docx|png|wav)(\?|$)",
              r"^/staff/attachments/")


def crawl(client, starts, check, limit=400):
    """GET every page once (query strings count as pages) and ``check(url, html)`` each HTML
    page; any answer other than 200 or a redirect inside the site fails. Returns the URLs read."""
    walk = Crawler(client, skip=LIGHT_SKIP, max_per_pattern=None, max_requests=limit,
                   on_page=check, only_ok=True).crawl(starts, submit_forms=False)
    assert walk.problems == [], walk.problems
    return walk.pages_read


# Han characters and full-width punctuation: what an English page must not show outside what
# people typed.
HAN = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def english(client):
    """``client`` switched to English (before signing in: the choice is kept across it)."""
    assert client.get("/lang/en").status_code == 302
    return client


def han_left(html, typed):
    """The Han fragments left on ``html`` once scripts, the link back to 中文 and every string
    of ``typed`` (longest first) are taken out, each with some context."""
    text = re.sub(r"<script\b.*?</script>", "", html, flags=re.S)
    text = re.sub(r'<a class="lang"[^>]*>中文</a>', "", text)
    for value in typed:
        text = text.replace(value, "")
    return [(m.group(0), text[max(0, m.start() - 50):m.end() + 20].replace("\n", " "))
            for m in HAN.finditer(text)]


class EnglishCheck:
    """The ``check`` of an English crawl: every page is in English and shows no Han characters
    outside ``typed``; each fragment left is kept with the first page it was on, so one run
    names all of them (``assert check.found == {}, check.report()``)."""

    def __init__(self, typed):
        self.typed = typed
        self.found = {}

    def __call__(self, url, html):
        assert '<html lang="en">' in html, url
        for fragment, context in han_left(html, self.typed):
            self.found.setdefault(fragment, (url, context))

    def report(self):
        return "\n".join(f"{k!r} on {url}: {c}" for k, (url, c) in self.found.items())
