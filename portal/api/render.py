"""Open311 answers in the spec's two formats: XML (its required one) and JSON mapped from it
by the Spark convention (an XML container of items is a JSON array; a value is text)."""

import json
import re
from html import escape

from flask import make_response

# The element each item of a list is wrapped in, by the list's own element name.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
MIMETYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
# Characters XML 1.0 cannot carry at all; stored text never has them, names might one day.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(_XML_ILLEGAL.sub("", str(value)), quote=False)  # &, < and > in text


def _element(tag, value, out):
    if isinstance(value, dict):
        out.append(f"<{tag}>")
        for key, item in value.items():
            _element(key, item, out)
        out.append(f"</{tag}>")
    elif isinstance(value, list):
        out.append(f"<{tag}>")
        for item in value:
            _element(ITEM_TAGS[tag], item, out)
        out.append(f"</{tag}>")
    else:
        text = _text(value)
        out.append(f"<{tag}>{text}</{tag}>" if text else f"<{tag}/>")


def to_xml(root, data):
    out = ['<?xml version="1.0" encoding="utf-8"?>\n']
    _element(root, data, out)
    return "".join(out) + "\n"


def answer(fmt, root, data, status=200):
    """``data`` as the body of an XML document with root element ``root``, or as JSON."""
    if fmt == "xml":
        body = to_xml(root, data)
    else:
        body = json.dumps(data, ensure_ascii=False, indent=1)
    response = make_response(body, status)
    response.headers["Content-Type"] = MIMETYPES["xml" if fmt == "xml" else "json"]
    response.headers["Cache-Control"] = "no-store"
    return response


def error_answer(fmt, status, descriptions):
    """The spec's error format: a list of {code, description}, code matching the status."""
    items = [{"code": status, "description": text} for text in descriptions]
    return answer(fmt, "errors", items, status)


def format_of(path):
    """The format a client asked for by the end of the path; JSON unless it said XML."""
    return "xml" if path.endswith(".xml") else "json"
