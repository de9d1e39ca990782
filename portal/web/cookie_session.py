"""Flask's signed-cookie session, with its signing serializer built once per key set instead of
twice a request: building one serializes a test payload to learn its type (~20 µs each)."""

from flask.sessions import SecureCookieSessionInterface


class CookieSessionInterface(SecureCookieSessionInterface):
    def __init__(self):
        self._serializers = {}

    def get_signing_serializer(self, app):
        if not app.secret_key:
            return None
        # Keyed by the keys themselves: a rotated key or fallback gets a serializer of its own.
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            if len(self._serializers) > 8:  # keys changed at run time, again and again
                self._serializers.clear()
            serializer = self._serializers[keys] = super().get_signing_serializer(app)
        return serializer


def register(app):
    app.session_interface = CookieSessionInterface()
