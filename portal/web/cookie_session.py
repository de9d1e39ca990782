"""Flask's signed-cookie session, with its signing serializer built once per key set instead of
twice a request (building one serializes a test payload to learn its type, ~20 µs each), and
its derived keys kept (portal/web/signing.py). The cookie is the one Flask itself writes."""

from flask.sessions import SecureCookieSessionInterface

from portal.web.signing import serializer


class CookieSessionInterface(SecureCookieSessionInterface):
    def __init__(self):
        self._serializers = {}

    def get_signing_serializer(self, app):
        if not app.secret_key:
            return None
        # Keyed by the keys themselves: a rotated key or fallback gets a serializer of its own.
        fallbacks = tuple(app.config["SECRET_KEY_FALLBACKS"] or ())
        kept = self._serializers.get((app.secret_key, fallbacks))
        if kept is None:
            if len(self._serializers) > 8:  # keys changed at run time, again and again
                self._serializers.clear()
            # As Flask does: fallbacks first, the current key last (it signs).
            kept = self._serializers[(app.secret_key, fallbacks)] = serializer(
                [*fallbacks, app.secret_key], self.salt, serializer=self.serializer,
                signer_kwargs={"key_derivation": self.key_derivation,
                               "digest_method": self.digest_method})
        return kept

    def open_session(self, app, request):
        if app.secret_key and not request.environ.get("HTTP_COOKIE"):
            return self.session_class()  # no cookie at all: a new session, nothing to parse
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if not session and not session.modified:
            # Most public pages: nothing to write or delete. Flask's own path reads seven
            # cookie settings and parses the Vary header first (~15 µs of a cached page).
            if session.accessed:  # the page may depend on a cookie: caches must know
                if "Vary" in response.headers:
                    response.vary.add("Cookie")
                else:
                    response.headers.add("Vary", "Cookie")
            return
        super().save_session(app, session, response)


def register(app):
    app.session_interface = CookieSessionInterface()
