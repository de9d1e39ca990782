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


def register(app):
    own = security_headers(app.config["SESSION_COOKIE_SECURE"])
    own_names = {name.lower() for name, _ in own}

    @app.after_request
    def set_headers(response):
        # One pass over the headers a view set, instead of a scan for each header added
        # (Headers.set and setdefault each walk the list: a fifth of a cached page's own time).
        h = response.headers
        present = {name.lower() for name, _ in h}
        if present & own_names:
            for name, _ in own:
                del h[name]
        for name, value in own:
            h.add(name, value)
        if "content-security-policy" not in present:
            h.add("Content-Security-Policy", CSP)
        if "cache-control" not in present and not (response.mimetype or "").startswith(CACHEABLE):
            h.add("Cache-Control", "no-store")
        return response
