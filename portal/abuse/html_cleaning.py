"""The one place where HTML from staff is cleaned: replies allow paragraphs, lists and links."""

import html as html_module
import re

import bleach
from markupsafe import Markup

REPLY_TAGS = {"p", "br", "ul", "ol", "li", "a"}  # paragraphs, lists and links, nothing else
REPLY_ATTRIBUTES = {"a": ["href", "title"]}
REPLY_PROTOCOLS = {"https", "http", "mailto"}
# Markup that already gives a reply its shape; without any, the typed line breaks are the shape.
_BLOCK_TAG = re.compile(r"<\s*/?\s*(p|br|ul|ol|li)\b", re.IGNORECASE)
_TAG = re.compile(r"(<[^>]*>)")


def _link_rel(attrs, new=False):
    attrs[(None, "rel")] = "noopener noreferrer nofollow"
    return attrs


def _bleach(html):
    return bleach.clean(
        html,
        tags=REPLY_TAGS,
        attributes=REPLY_ATTRIBUTES,
        protocols=REPLY_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )


def _paragraphs(cleaned):
    """Typed text: a blank line starts a paragraph, a single line break stays a <br>."""
    parts = []
    for part in _TAG.split(cleaned.replace("\x00", "").strip()):
        if not part.startswith("<"):  # line breaks are touched between tags, never inside one
            part = re.sub(r"[ \t]*\n[ \t]*", "\n", part.replace("\r\n", "\n").replace("\r", "\n"))
            part = re.sub(r"\n{2,}", "\x00", part).replace("\n", "<br>")
        parts.append(part)
    blocks = (re.sub(r"^(<br>)+|(<br>)+$", "", b.strip()) for b in "".join(parts).split("\x00"))
    return "".join(f"<p>{b}</p>" for b in blocks if b.strip())


def clean_reply_html(html):
    """Keep only paragraphs, lists, line breaks and http(s)/mailto links; strip everything else.

    A body without paragraph or list markup (typed as plain text) gets its paragraphs and line
    breaks from the text itself, so that they show on the pages as they do in the mail."""
    cleaned = _bleach(html or "")
    if not _BLOCK_TAG.search(cleaned):
        cleaned = _bleach(_paragraphs(cleaned))  # cleaned again: the result is always allowlisted
    return bleach.linkify(cleaned, callbacks=[_link_rel], parse_email=False)


def editable_text(html):
    """A stored reply as its author edits it again: one made only of paragraphs and line breaks
    (typed as plain text) comes back as that text, which cleans to the same HTML; any other
    markup is left as HTML."""
    body = html or ""
    if re.search(r"<(?!/?(p|br)>)", body):
        return body
    text = re.sub(r"</p>\s*<p>", "\n\n", body)
    text = text.replace("<br>", "\n").replace("<p>", "").replace("</p>", "")
    return html_module.unescape(text)


def reply_markup(html):
    """Render stored reply HTML; it is cleaned again so that only this path ever emits it."""
    # Reviewed: allowlist-cleaned above.
    return Markup(clean_reply_html(html))  # noqa: S704  # nosec B704


def plain_text_of(html):
    """The words of a reply for e-mail: tags dropped, entities decoded, one line per block."""
    marked = re.sub(r"</(p|li)>|<br\s*/?>", "\n", html or "")
    text = html_module.unescape(bleach.clean(marked, tags=set(), strip=True))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
