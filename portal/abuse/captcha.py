"""Captcha challenges: the answer lives on the server (Redis, else the database), never in a
cookie, expires after a few minutes and can be used once; the form carries only its id."""

import hashlib
import hmac
import io
import logging
import re
import secrets
import unicodedata
from datetime import timedelta

import redis
from captcha.audio import DATA_DIR as ENGLISH_VOICES
from captcha.image import ImageCaptcha
from flask import current_app, has_request_context, session
from sqlalchemy import delete, update

from models import CaptchaChallenge, db, utcnow
from portal.abuse import showings
from portal.abuse.captcha_audio import Voices

log = logging.getLogger(__name__)

# Letters and digits that the image keeps apart and the voices can say.
ALPHABET = "ACDEFHJKMNPRTUVWXY3467"
LENGTH = 5
# Ids are ours (token_urlsafe(16)); anything else is not looked up at all.
CHALLENGE_ID = re.compile(r"^[A-Za-z0-9_-]{16,32}$")
SESSION_KEY = "captcha_sid"
_image = ImageCaptcha(width=180, height=64)
_audio_by_dir = {}


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


def _session_key(challenge_id):
    return f"pingyi:captcha-session:{challenge_id}"


def _image_key(challenge_id):
    return f"pingyi:captcha-image:{challenge_id}"


def _ttl():
    return current_app.config["CAPTCHA_TTL_SECONDS"]


def _valid_id(challenge_id):
    return isinstance(challenge_id, str) and CHALLENGE_ID.match(challenge_id) is not None


def session_tag(session_id):
    """What the store keeps of a session: a hash, so the store never holds the id itself."""
    return hashlib.sha256(f"pingyi-captcha|{session_id or ''}".encode()).hexdigest()


def _current_tag(create):
    """The tag of this browser's session; outside a request (commands, tests) an empty id.

    A challenge is bound to the session that got it, so an answer solved in one browser (or by
    a captcha farm shown the picture) cannot be spent by another session."""
    if not has_request_context():
        return session_tag(None)
    session_id = session.get(SESSION_KEY)
    if session_id is None and create:
        session_id = session[SESSION_KEY] = secrets.token_urlsafe(16)
    return session_tag(session_id) if session_id else None


# The answer and the session tag, in one call. With a showing to count (portal/abuse/showings.py)
# the count goes first, in the same call, and a refusal writes no challenge.
_ISSUE = """
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
return 0
"""
_ISSUE_COUNTED = showings.COUNT_LUA + """
redis.call('SET', KEYS[2], ARGV[4], 'EX', ARGV[6])
redis.call('SET', KEYS[3], ARGV[5], 'EX', ARGV[6])
return 0
"""


def _script(client, source):
    """``source`` registered once per Redis client (EVALSHA, reloaded if Redis forgot it)."""
    scripts = current_app.extensions.setdefault("pingyi_redis_scripts", {})
    key = (id(client), source)
    if key not in scripts:
        scripts[key] = client.register_script(source)
    return scripts[key]


def issue(now=None):
    """Create a challenge for this browser session and return its id. A showing that the
    request must count (showings.expect) is counted with it: 429 past its limit."""
    now = now or utcnow()
    showing = showings.take()
    now_ms = int(now.timestamp() * 1000)
    challenge_id, answer = secrets.token_urlsafe(16), "".join(
        secrets.choice(ALPHABET) for _ in range(LENGTH)
    )
    tag = _current_tag(create=True)
    keys, ttl = [_key(challenge_id), _session_key(challenge_id)], _ttl()
    client = _redis()
    if client is not None:
        try:
            if showing is None:
                _script(client, _ISSUE)(keys=keys, args=[answer, tag, ttl])
                return challenge_id
            edge = _script(client, _ISSUE_COUNTED)(
                keys=[showing.key, *keys],
                args=[now_ms, showing.window_ms, showing.item.amount, answer, tag, ttl])
        except redis.RedisError as exc:
            log.warning("captcha: Redis unavailable, using the database (%s)", exc)
        else:
            if edge:
                showings.refuse(showing, edge, now_ms)
            return challenge_id
    if showing is not None:
        showings.count(showing, now_ms)
    db.session.execute(delete(CaptchaChallenge).where(CaptchaChallenge.expires_at < now))
    db.session.add(CaptchaChallenge(id=challenge_id, answer=answer, session_tag=tag,
                                    expires_at=now + timedelta(seconds=ttl)))
    db.session.commit()
    return challenge_id


def peek(challenge_id, now=None):
    """The answer of a live challenge, for drawing it; None when unknown or expired."""
    if not _valid_id(challenge_id):
        return None
    now = now or utcnow()
    client = _redis()
    if client is not None:
        try:
            value = client.get(_key(challenge_id))
            if value is not None:
                return value.decode()
        except redis.RedisError as exc:
            log.warning("captcha: Redis unavailable on read (%s)", exc)
    row = _live_row(challenge_id, now)
    return row.answer if row is not None else None


def _live_row(challenge_id, now):
    """The database's challenge (Redis down, or none configured) while it has not expired."""
    row = db.session.get(CaptchaChallenge, challenge_id)
    return row if row is not None and row.expires_at > now else None


def _take(challenge_id, now):
    """(session tag, answer) taken out of the store atomically; a second call gets None."""
    client = _redis()
    if client is not None:
        try:
            pipe = client.pipeline(transaction=True)
            pipe.getdel(_key(challenge_id))
            pipe.getdel(_session_key(challenge_id))
            pipe.delete(_image_key(challenge_id))
            answer, tag, _image = pipe.execute()
            if answer is not None:
                return (tag or b"").decode(), answer.decode()
        except redis.RedisError as exc:
            log.warning("captcha: Redis unavailable on consume (%s)", exc)
    stmt = (
        delete(CaptchaChallenge)
        .where(CaptchaChallenge.id == challenge_id, CaptchaChallenge.expires_at > now)
        .returning(CaptchaChallenge.session_tag, CaptchaChallenge.answer)
    )
    row = db.session.execute(stmt).one_or_none()
    db.session.commit()
    return (row[0] or "", row[1]) if row is not None else None


def consume(challenge_id, now=None):
    """Take the answer out of the store, atomically; a second call gets None."""
    if not _valid_id(challenge_id):
        return None
    taken = _take(challenge_id, now or utcnow())
    return taken[1] if taken else None


def normalize_answer(typed):
    """What a person typed, as the alphabet writes it: full-width forms (an input method's
    Ｖ３ＫＮＦ) folded by NFKC, case and spaces ignored."""
    return unicodedata.normalize("NFKC", typed).strip().upper().replace(" ", "")


def check(challenge_id, typed, now=None):
    """True when ``typed`` answers the challenge and this session got it; spent either way."""
    if not _valid_id(challenge_id) or not isinstance(typed, str) or not typed:
        return False
    taken = _take(challenge_id, now or utcnow())
    if taken is None:
        return False
    tag, answer = taken
    mine = _current_tag(create=False) or ""
    right_session = hmac.compare_digest(tag.encode(), mine.encode())
    right_answer = hmac.compare_digest(answer.encode(), normalize_answer(typed).encode())
    return right_session and right_answer


def image_png(answer):
    """A fresh picture of ``answer``. zlib level 1: half the encoding time of the default 6
    (1.2 ms against 2.6) for a file about 10% larger (10 kB)."""
    out = io.BytesIO()
    _image.generate_image(answer).save(out, format="png", compress_level=1)
    return out.getvalue()


# Draw once: keep the picture only while its answer lives, and hand back whichever is kept.
# The picture expires at the answer's own instant (PXAT of PEXPIRETIME, Redis 7): a relative PX
# of the answer's PTTL is counted from a later clock reading inside the script, and left about
# one picture in 400 alive a millisecond past its answer. Redis 6.2 has no PEXPIRETIME and keeps
# the relative form.
_KEEP_IMAGE = """
local at = redis.pcall('pexpiretime', KEYS[1])
if type(at) == 'number' then
  if at > 0 then redis.call('set', KEYS[2], ARGV[1], 'PXAT', at, 'NX') end
else
  local ttl = redis.call('pttl', KEYS[1])
  if ttl > 0 then redis.call('set', KEYS[2], ARGV[1], 'PX', ttl, 'NX') end
end
return redis.call('get', KEYS[2])
"""


def challenge_image(challenge_id, now=None):
    """The PNG of a live challenge, drawn at its first request and kept beside its answer (same
    store, same expiry, dropped when it is answered), so that every request for one id gets the
    same picture: no fresh distortions of one answer to compare, one lookup after the first.
    None when the challenge is unknown, answered or expired."""
    if not _valid_id(challenge_id):
        return None
    now = now or utcnow()
    client = _redis()
    if client is not None:
        try:
            answer, image = client.mget(_key(challenge_id), _image_key(challenge_id))
            if answer is not None:
                if image is None:
                    image = client.eval(_KEEP_IMAGE, 2, _key(challenge_id),
                                        _image_key(challenge_id), image_png(answer.decode()))
                return image
        except redis.RedisError as exc:
            log.warning("captcha: Redis unavailable on read (%s)", exc)
    row = _live_row(challenge_id, now)
    if row is None:
        return None
    if row.image is None:
        db.session.execute(update(CaptchaChallenge)
                           .where(CaptchaChallenge.id == challenge_id,
                                  CaptchaChallenge.image.is_(None))
                           .values(image=image_png(row.answer)))
        db.session.commit()
        row = db.session.get(CaptchaChallenge, challenge_id, populate_existing=True)
    return row.image if row is not None else None


def audio_voices():
    """The Mandarin voices from CAPTCHA_VOICE_DIR (made at setup by espeak-ng), read once per
    process; the package's English voices only when that directory is missing or incomplete."""
    from portal.abuse.captcha_voices import complete

    voice_dir = current_app.config["CAPTCHA_VOICE_DIR"]
    if voice_dir not in _audio_by_dir:
        if complete(voice_dir, ALPHABET):
            _audio_by_dir[voice_dir] = Voices(voice_dir)
        else:
            log.warning("captcha: no Mandarin voices in %s (run make setup); using English",
                        voice_dir)
            _audio_by_dir[voice_dir] = Voices(ENGLISH_VOICES)
    return _audio_by_dir[voice_dir]


def audio_wav(answer):
    return audio_voices().wav(answer)
