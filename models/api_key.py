"""Keys of partner systems (a 12345 platform, a mobile app) that file cases through the
Open311 API. Only a SHA-256 digest of each key is kept: a copied database gives no key."""

import hashlib
from datetime import datetime

from sqlalchemy import Boolean, String, select
from sqlalchemy.orm import Mapped, mapped_column

from models.base import UTCDateTime, db


def key_digest(raw):
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


class ApiKey(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))  # the partner, shown in each case's history
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the key, so that an administrator can tell keys apart.
    key_prefix: Mapped[str] = mapped_column(String(8))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # A trusted partner (one that shows its users their own receipt) gets the query code back.
    trusted_to_relay_code: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def find_enabled_key(raw):
    """The enabled key whose digest matches ``raw``, else None."""
    if not raw or len(raw) > 200:
        return None
    stmt = select(ApiKey).where(ApiKey.key_hash == key_digest(raw), ApiKey.enabled.is_(True))
    return db.session.scalars(stmt).first()


def all_keys():
    return db.session.scalars(select(ApiKey).order_by(ApiKey.name, ApiKey.id)).all()
