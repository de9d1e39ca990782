"""Where a ``next`` parameter may send the browser: a plain path on this site, nothing else.

Browsers drop tabs and line breaks inside URLs, read a backslash as a slash and treat ``//host``
as another site, and some proxies decode percent escapes once more; so the value is judged as
given, after each layer of percent-decoding and after NFKC (full-width solidus becomes ``/``).
Any doubt sends the browser to the safe default: a lost ``next`` costs one click."""

import unicodedata
from urllib.parse import unquote, urlsplit

MAX_LENGTH = 2000
MAX_DECODING_LAYERS = 3


def _refused_char(char, decoded):
    # C*: controls (tab, CR, LF, NUL), format (zero width), unassigned; Zl/Zp: U+2028/U+2029.
    # Spaces are refused as given but allowed once decoded (a search for "a%20b" stays).
    category = unicodedata.category(char)
    return char == "\\" or category[0] == "C" or category in ("Zl", "Zp") or (
        category == "Zs" and not decoded
    )


def _plain_local(value, prefix, decoded):
    if not value.startswith("/") or value[1:2] in ("/", "\\"):
        return False
    if any(_refused_char(c, decoded) for c in value):
        return False
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return False
    segments = parts.path.split("/")
    if "." in segments or ".." in segments:
        return False
    return prefix == "/" or parts.path == prefix or parts.path.startswith(prefix + "/")


def _forms(target):
    """The value itself, then each percent-decoded layer; None when there are too many layers."""
    forms, current = [target], target
    for _ in range(MAX_DECODING_LAYERS):
        decoded = unquote(current)
        if decoded == current:
            return forms
        forms.append(decoded)
        current = decoded
    return None


def safe_next(target, default, prefix="/"):
    """``target`` when it is a path under ``prefix`` on this site, else ``default``."""
    if not isinstance(target, str) or not target or len(target) > MAX_LENGTH:
        return default
    forms = _forms(target)
    if forms is None:
        return default
    for layer, form in enumerate(forms):
        for variant in (form, unicodedata.normalize("NFKC", form)):
            if not _plain_local(variant, prefix, decoded=layer > 0):
                return default
    return target
