"""Signed values (the session cookie, the CSRF token) with what signs them built once per key.

itsdangerous derives the signing key from the secret key anew for every signature (an HMAC),
and Flask-WTF builds a new serializer for every token, which serializes a test payload to learn
its type. Both are the same for the same key; a form view under production controls paid for
them twice over. The tokens and cookies are byte for byte what Flask and Flask-WTF make, so
either side reads what the other wrote."""

import secrets

from flask import current_app, g, session
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

_MAX_KEPT = 64  # keys x salts: a handful, unless keys change at run time again and again
_derived = {}
_serializers = {}


class KeptKeySigner(TimestampSigner):
    """A TimestampSigner whose derived keys are kept per secret key, salt and method."""

    def derive_key(self, secret_key=None):
        key = (self.secret_keys[-1] if secret_key is None else secret_key, self.salt,
               self.key_derivation, self.digest_method)
        derived = _derived.get(key)
        if derived is None:
            if len(_derived) >= _MAX_KEPT:
                _derived.clear()
            derived = _derived[key] = super().derive_key(secret_key)
        return derived


def serializer(secret_key, salt, **kwargs):
    """A URLSafeTimedSerializer signing with KeptKeySigner. ``secret_key`` may be a list
    (oldest first, the newest signs). Building one is the cost; callers keep theirs."""
    return URLSafeTimedSerializer(secret_key, salt=salt, signer=KeptKeySigner, **kwargs)


def _csrf_serializer(secret):
    kept = _serializers.get(secret)
    if kept is None:
        if len(_serializers) >= _MAX_KEPT:
            _serializers.clear()
        kept = _serializers[secret] = serializer(secret, "wtf-csrf-token")
    return kept


def csrf_token():
    """flask_wtf.csrf.generate_csrf for the default key and field name: the same token, kept
    on ``g`` for this request as Flask-WTF keeps it, so its form fields reuse it."""
    config = current_app.config
    field = config.get("WTF_CSRF_FIELD_NAME") or "csrf_token"
    token = g.get(field)
    if token is None:
        secret = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
        if not secret:
            raise RuntimeError("A secret key is required to use CSRF.")
        raw = session.get(field)
        if not isinstance(raw, str):  # none yet, or not a token (Flask-WTF starts over too)
            # 40 hex digits, as Flask-WTF's sha1 of random bytes: random itself, no hash needed.
            raw = session[field] = secrets.token_hex(20)
        token = _csrf_serializer(secret).dumps(raw)
        setattr(g, field, token)
    return token
