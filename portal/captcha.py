"""Captcha challenges: the answer lives on the server (Redis, else the database), never in a
cookie, expires after a few minutes and can be used once; the form carries only its id."""

import hmac
import logging
import secrets
from datetime import timedelta

import redis
from captcha.audio import AudioCaptcha
from captcha.image import ImageCaptcha
from flask import current_app
from sqlalchemy import delete

from models import CaptchaChallenge, db, utcnow

log = logging.getLogger(__name__)

# Letters and digits that the image keeps apart and the bundled English voices can say.
ALPHABET = "ACDEFHJKMNPRTUVWXY3467"
LENGTH = 5
_image = ImageCaptcha(width=180, height=64)
_audio = AudioCaptcha()


def _redis():
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    ext = current_app.extensions.setdefault("pingyi_redis", {})
    if url not in ext:
        ext[url] = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
    return ext[url]


def _key(challenge_id):
    return f"pingyi:captcha:{challenge_id}"


def _ttl():
    return current_app.config["CAPTCHA_TTL_SECONDS"]


def issue(now=None):
    """Create a challenge and return its id."""
    now = now or utcnow()
    challenge_id, answer = secrets.token_urlsafe(16), "".join(
        secrets.choice(ALPHABET) for _ in range(LENGTH)
    )
    client = _redis()
    if client is not None:
        try:
            client.setex(_key(challenge_id), _ttl(), answer)
            return challenge_id
        except redis.RedisError as exc:
            log.warning("captcha: Redis unavailable, using the database (%s)", exc)
    db.session.execute(delete(CaptchaChallenge).where(CaptchaChallenge.expires_at < now))
    db.session.add(
        CaptchaChallenge(id=challenge_id, answer=answer, expires_at=now + timedelta(seconds=_ttl()))
    )
    db.session.commit()
    return challenge_id


def peek(challenge_id, now=None):
    """The answer of a live challenge, for drawing it; None when unknown or expired."""
    now = now or utcnow()
    client = _redis()
    if client is not None:
        try:
            value = client.get(_key(challenge_id))
            if value is not None:
                return value.decode()
        except redis.RedisError as exc:
            log.warning("captcha: Redis unavailable on read (%s)", exc)
    row = db.session.get(CaptchaChallenge, challenge_id)
    return row.answer if row is not None and row.expires_at > now else None


def consume(challenge_id, now=None):
    """Take the answer out of the store, atomically; a second call gets None."""
    now = now or utcnow()
    client = _redis()
    if client is not None:
        try:
            value = client.getdel(_key(challenge_id))
            if value is not None:
                return value.decode()
        except redis.RedisError as exc:
            log.warning("captcha: Redis unavailable on consume (%s)", exc)
    stmt = (
        delete(CaptchaChallenge)
        .where(CaptchaChallenge.id == challenge_id, CaptchaChallenge.expires_at > now)
        .returning(CaptchaChallenge.answer)
    )
    answer = db.session.execute(stmt).scalar_one_or_none()
    db.session.commit()
    return answer


def check(challenge_id, typed, now=None):
    """True when ``typed`` answers the challenge; the challenge is spent either way."""
    if not challenge_id or not typed:
        return False
    answer = consume(challenge_id, now)
    if answer is None:
        return False
    return hmac.compare_digest(answer.upper(), typed.strip().upper().replace(" ", ""))


def image_png(answer):
    return _image.generate(answer, format="png").getvalue()


def audio_wav(answer):
    return bytes(_audio.generate(answer))
