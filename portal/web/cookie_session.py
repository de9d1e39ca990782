"""Flask's signed-cookie session, with its signing serializer built once per key set instead of
twice a request (building one serializes a test payload to learn its type, ~20 µs each), and
its derived keys kept (portal/web/signing.py). The cookie is the one Flask itself writes."""

from flask.sessions import SecureCookieSessionInterface

from portal.web.signing import serializer


class CookieSessionInterface(SecureCookieSessionInterface):
    def get_signing_serializer(self, app):
        if not app.secret_key:
            return None
        # As Flask does: fallbacks first, the current key last (it signs).
        keys = [*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key]
        return serializer(keys, self.salt, serializer=self.serializer, signer_kwargs={
            "key_derivation": self.key_derivation, "digest_method": self.digest_method})


def register(app):
    app.session_interface = CookieSessionInterface()
