"""Each security header exactly once, with the value written out here; a view's own CSP or
Cache-Control kept; static styles and scripts cacheable; HSTS only where cookies are secure."""

from flask import Response, make_response

from portal.web import headers
from tests.appconfig import make_app

CSP = ("default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; "
       "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
OURS = {"content-security-policy": CSP, "x-content-type-options": "nosniff",
        "x-frame-options": "DENY", "referrer-policy": "same-origin", "cache-control": "no-store"}


def _security(response):
    named = {"content-security-policy", "x-content-type-options", "x-frame-options",
             "referrer-policy", "cache-control", "strict-transport-security"}
    return sorted((k.lower(), v) for k, v in response.headers if k.lower() in named)


def test_a_page_and_an_error_carry_each_header_once(client):
    for url in ("/", "/file", "/no-such-page"):
        assert _security(client.get(url)) == sorted(OURS.items()), url


def test_static_styles_are_cacheable_and_keep_the_rest(client):
    # Flask's own "no-cache" (revalidate), not our "no-store" (never keep).
    response = client.get("/static/css/site.css")
    assert _security(response) == sorted({**OURS, "cache-control": "no-cache"}.items())


def test_a_views_own_values_win_and_ours_are_not_doubled():
    app = make_app()

    @app.get("/own-headers")
    def own_headers():
        response = make_response("x")
        response.headers["Content-Security-Policy"] = "sandbox"
        response.headers["Cache-Control"] = "private, max-age=60"
        response.headers["X-Frame-Options"] = "SAMEORIGIN"  # not the view's to relax
        return response

    assert _security(app.test_client().get("/own-headers")) == sorted({
        **OURS, "content-security-policy": "sandbox",
        "cache-control": "private, max-age=60"}.items())


def test_hsts_only_with_secure_cookies():
    app = make_app(SESSION_COOKIE_SECURE=True)
    app.add_url_rule("/plain", "plain", lambda: "x")
    assert _security(app.test_client().get("/plain")) == sorted({
        **OURS, "strict-transport-security": "max-age=31536000; includeSubDomains"}.items())
    assert headers.security_headers(False) == headers.OWN


def test_a_style_or_script_without_its_own_cache_control_is_not_marked_no_store():
    # Flask's static route sets its own Cache-Control; a style made by a view (or a static file
    # served with another setting) must still not be refused to the browser's cache.
    app = make_app()
    for name, mimetype in (("css", "text/css"), ("js", "application/javascript"),
                           ("svg", "image/svg+xml"), ("txt", "text/plain")):
        app.add_url_rule(f"/made.{name}", f"made_{name}",
                         lambda m=mimetype: Response("x", mimetype=m))
    client = app.test_client()
    for name, cache in (("css", []), ("js", []), ("svg", []), ("txt", ["no-store"])):
        assert client.get(f"/made.{name}").headers.getlist("Cache-Control") == cache, name
