"""The site's icon: /favicon.ico answers with an icon file (browsers ask for it without reading
the page; it was a 404 on every first visit), and every page links it and the SVG."""

import struct
import xml.etree.ElementTree as ET


def test_favicon_ico_is_an_icon_of_three_sizes(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    body = response.get_data()
    # ICONDIR: reserved 0, type 1 (icon), then the count of images.
    reserved, kind, count = struct.unpack_from("<HHH", body)
    assert (reserved, kind, count) == (0, 1, 3)
    sizes = sorted(body[6 + 16 * i] for i in range(count))  # each ICONDIRENTRY starts with width
    assert sizes == [16, 32, 48]
    # Revalidated like the styles, not "no-store", and still under our headers.
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_conditional_request_for_the_icon_gets_304(client):
    etag = client.get("/favicon.ico").headers["ETag"]
    assert client.get("/favicon.ico", headers={"If-None-Match": etag}).status_code == 304


def test_pages_link_both_icons_and_the_svg_is_served(client):
    for url in ("/", "/file", "/no-such-page", "/staff/login"):
        html = client.get(url).get_data(as_text=True)
        assert '<link rel="icon" href="/favicon.ico" sizes="16x16 32x32 48x48">' in html, url
        assert ('<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'
                in html), url
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200
    assert svg.mimetype == "image/svg+xml"
    root = ET.fromstring(svg.get_data())  # noqa: S314  (our own file, not untrusted input)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 64 64"


def test_the_icon_route_refuses_what_it_does_not_serve(client):
    # Only GET and HEAD: a POST gets the site's 405 page in words; a NUL in the path is refused
    # by the path guard, as everywhere.
    response = client.post("/favicon.ico")
    assert response.status_code == 405
    assert "不支持此请求方式。" in response.get_data(as_text=True)
    assert client.get("/favicon.ico%00").status_code == 404
