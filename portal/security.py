"""The one place where HTML from staff is cleaned: replies allow paragraphs, lists and links."""

import html as html_module
import re

import bleach
from markupsafe import Markup

REPLY_TAGS = {"p", "br", "ul", "ol", "li", "a"}  # paragraphs, lists and links, nothing else
REPLY_ATTRIBUTES = {"a": ["href", "title"]}
REPLY_PROTOCOLS = {"https", "http", "mailto"}


def _link_rel(attrs, new=False):
    attrs[(None, "rel")] = "noopener noreferrer nofollow"
    return attrs


def clean_reply_html(html):
    """Keep only paragraphs, lists, emphasis and http(s)/mailto links; strip everything else."""
    cleaned = bleach.clean(
        html or "",
        tags=REPLY_TAGS,
        attributes=REPLY_ATTRIBUTES,
        protocols=REPLY_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
    return bleach.linkify(cleaned, callbacks=[_link_rel], parse_email=False)


def reply_markup(html):
    """Render stored reply HTML; it is cleaned again so that only this path ever emits it."""
    # Reviewed: allowlist-cleaned above.
    return Markup(clean_reply_html(html))  # noqa: S704  # nosec B704


def plain_text_of(html):
    """The words of a reply for e-mail: tags dropped, entities decoded, one line per block."""
    marked = re.sub(r"</(p|li)>|<br\s*/?>", "\n", html or "")
    text = html_module.unescape(bleach.clean(marked, tags=set(), strip=True))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
