"""A crawler over the portal's own pages for the markup and language checks: starting from a few
pages, it follows every same-site link it finds and hands each HTML page to a check."""

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

HREF = re.compile(r'href="([^"]+)"')
# Downloads, the language switch and the captcha are no pages to read.
SKIP = re.compile(r"^/(static/|lang/|captcha/)|\.(csv|xlsx|docx|png|wav)$|^/staff/attachments/")


def crawl(client, starts, check, limit=400):
    """GET each page once (query strings count as pages); ``check(url, html)`` on every HTML
    page. Returns the URLs read. Any answer other than 200 or a redirect inside the site fails."""
    seen, queue, read = set(), list(starts), []
    while queue and len(read) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302, 303):
            queue.append(_local(url, response.headers["Location"]))
            continue
        assert response.status_code == 200, (url, response.status_code)
        if not response.mimetype == "text/html":
            continue
        html = response.get_data(as_text=True)
        read.append(url)
        check(url, html)
        for href in HREF.findall(html):
            target = _local(url, unescape(href))
            if target and not SKIP.search(urlsplit(target).path) and target not in seen:
                queue.append(target)
    return read


def _local(base, href):
    """The path and query of a same-site link, else None."""
    if href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    parts = urlsplit(urljoin("http://localhost" + base, href))
    if parts.netloc != "localhost":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")
