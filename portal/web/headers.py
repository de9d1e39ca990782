"""Security headers on every response, error pages included."""

CSP = (
    "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; "
    "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# A view may set its own CSP (a sandboxed download) or Cache-Control; the others are ours alone.
OWN = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    # same-origin keeps the Referer that Flask-WTF's HTTPS check needs.
    ("Referrer-Policy", "same-origin"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
# Cached by the browser: the static files, which carry no one's data.
CACHEABLE = ("text/css", "application/javascript", "image/svg")


def security_headers(secure):
    return (*OWN, HSTS) if secure else OWN


class SecurityHeaders:
    """WSGI middleware that adds the headers to the list the response hands to the server.

    Added there rather than in an after_request hook: the constant values need none of
    werkzeug's per-value checks (Headers.add validates each one), and the one pass over the few
    headers a view set costs a fifth of what the hook did, about a tenth of a cached page."""

    def __init__(self, wsgi_app, own):
        self.wsgi_app = wsgi_app
        self.own = tuple(own)
        self.own_names = frozenset(name.lower() for name, _ in own)

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            return start_response(status, self.add(headers), exc_info)

        return self.wsgi_app(environ, start)

    def add(self, headers):
        present = {name.lower(): value for name, value in headers}
        if not self.own_names.isdisjoint(present):
            headers = [pair for pair in headers if pair[0].lower() not in self.own_names]
        headers.extend(self.own)
        if "content-security-policy" not in present:
            headers.append(("Content-Security-Policy", CSP))
        if "cache-control" not in present and not present.get(
                "content-type", "").lower().startswith(CACHEABLE):
            headers.append(("Cache-Control", "no-store"))
        return headers


def register(app):
    app.wsgi_app = SecurityHeaders(app.wsgi_app, security_headers(app.config["SESSION_COOKIE_SECURE"]))
