"""Partner API keys: created, rotated, disabled and trusted by the administrator (or
``flask api-key create``). A new key is returned once and only its digest is stored."""

import secrets

from models import ApiKey, DomainError, db
from models.api_key import key_digest
from models.i18n import N_
from portal.abuse.form_filters import has_control_chars
from portal.services.transaction import rolls_back

KEY_BYTES = 32


def _new_secret():
    return secrets.token_urlsafe(KEY_BYTES)


def _set_secret(key, raw):
    key.key_hash = key_digest(raw)
    key.key_prefix = raw[:6]


@rolls_back
def create_api_key(*, name, trusted_to_relay_code=False, now):
    """A new enabled key for the partner ``name``; returns (key, the key itself)."""
    name = (name or "").strip()
    if not name or len(name) > 100 or has_control_chars(name):
        raise DomainError(N_("合作方名称应为 1 至 100 个可打印字符。"))
    raw = _new_secret()
    key = ApiKey(name=name, enabled=True, trusted_to_relay_code=trusted_to_relay_code,
                 created_at=now)
    _set_secret(key, raw)
    db.session.add(key)
    db.session.commit()
    return key, raw


@rolls_back
def rotate_api_key(*, key, now):
    """Replace the key's secret: the old one stops working at once. Returns the new one."""
    raw = _new_secret()
    _set_secret(key, raw)
    key.rotated_at = now
    db.session.commit()
    return raw


@rolls_back
def set_api_key_enabled(*, key, enabled):
    key.enabled = enabled
    db.session.commit()


@rolls_back
def set_api_key_trust(*, key, trusted):
    key.trusted_to_relay_code = trusted
    db.session.commit()
