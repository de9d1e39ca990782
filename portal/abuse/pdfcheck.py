"""What makes a PDF unsafe to hand to a staff member's viewer: scripts, actions that run on
opening, launched programs, embedded files, or an HTML page dressed up with a PDF header.

The check reads names the way a PDF reader does (``/J#61vaScript`` is ``/JavaScript``) and also
looks inside Flate-compressed streams, where object streams hide dictionaries. It errs on the
side of refusing: a citizen can always send a photo or a plain PDF instead."""

import re
import zlib

# Names whose presence means the file can act on its own when opened.
ACTIVE_NAMES = frozenset({
    b"JS", b"JavaScript", b"OpenAction", b"AA", b"Launch", b"EmbeddedFile", b"EmbeddedFiles",
    b"RichMedia", b"XFA",
})
# A name token: a slash and the regular characters after it (PDF 32000-1, 7.3.5).
_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]+)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_HTML = re.compile(rb"<\s*(?:html|script|body|iframe|!doctype\s+html|svg|object|embed)\b", re.I)
_STREAM = re.compile(rb"stream\r?\n")
# Bounded work for a 5 MB upload: no stream may inflate past this, nor all of them together.
MAX_INFLATED = 20 * 1024 * 1024


def _decode_name(raw):
    return _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)


def _has_active_name(data):
    return any(_decode_name(m.group(1)) in ACTIVE_NAMES for m in _NAME.finditer(data))


def _active_in_streams(data):
    """True when a stream that inflates with zlib holds an active name, or when the streams
    inflate past MAX_INFLATED (a bomb, or something that hides behind one)."""
    view, budget = memoryview(data), MAX_INFLATED
    for match in _STREAM.finditer(data):
        try:
            chunk = zlib.decompressobj().decompress(view[match.end():], budget + 1)
        except zlib.error:
            continue  # not Flate data: its names, if any, were read with the raw bytes
        budget -= len(chunk)
        if budget < 0 or _has_active_name(chunk):
            return True
    return False


def is_html(data):
    return bool(_HTML.search(data))


def has_active_content(data):
    return _has_active_name(data) or _active_in_streams(data)
