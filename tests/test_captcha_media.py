"""The captcha's picture and sound: the picture drawn once per challenge and kept beside its
answer until it is answered or expires, on Redis and on the database; the sound assembled from
the voice clips, each character's clip in the challenge's order."""

import io
import wave
from datetime import timedelta

import pytest
from captcha.audio import BEEP, END_BEEP, SILENCE

from models import CaptchaChallenge, db, utcnow
from portal.abuse import captcha
from portal.abuse.captcha_audio import Spoken, Voices, louder, mix_into, slower, wav_file
from tests.appconfig import empty_redis, make_app, redis_test_url
from tests.factories import form_data, hidden_fields

REDIS_URL = redis_test_url(1)
STORES = {"redis": REDIS_URL, "database": None}


@pytest.fixture(params=sorted(STORES))
def portal(request, app):
    redis_client = empty_redis(REDIS_URL) if request.param == "redis" else None
    application = make_app(CAPTCHA_ENABLED=True, REDIS_URL=STORES[request.param])
    with application.app_context():
        yield application, redis_client
        db.session.remove()
    if redis_client is not None:
        redis_client.flushdb()


def kept_image(redis_client, challenge_id):
    """The picture the store keeps for a challenge, read behind the portal's back."""
    if redis_client is not None:
        return redis_client.get(f"pingyi:captcha-image:{challenge_id}")
    row = db.session.get(CaptchaChallenge, challenge_id, populate_existing=True)
    return row.image if row is not None else None


def test_one_challenge_shows_one_picture_until_it_is_answered(portal):
    application, redis_client = portal
    client = application.test_client()
    fields = hidden_fields(client.get("/file").get_data(as_text=True))
    challenge = fields["captcha_id"]
    assert kept_image(redis_client, challenge) is None  # not drawn at form view
    first = client.get(f"/captcha/{challenge}.png")
    second = client.get(f"/captcha/{challenge}.png")
    assert first.status_code == 200 and first.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert second.data == first.data  # the same picture, not a new distortion of the answer
    assert kept_image(redis_client, challenge) == first.data
    if redis_client is not None:  # the picture expires at its answer's own instant
        answer_expiry = redis_client.pexpiretime(f"pingyi:captcha:{challenge}")
        assert answer_expiry > 0
        assert redis_client.pexpiretime(f"pingyi:captcha-image:{challenge}") == answer_expiry
    other = hidden_fields(client.get("/file").get_data(as_text=True))["captcha_id"]
    assert client.get(f"/captcha/{other}.png").data != first.data

    answer = captcha.peek(challenge)
    accepted = client.post("/file", data=form_data(**fields, captcha=answer))
    assert accepted.status_code == 200 and "受理编号" in accepted.get_data(as_text=True)
    assert kept_image(redis_client, challenge) is None  # dropped with the answer
    assert client.get(f"/captcha/{challenge}.png").status_code == 404
    assert client.get(f"/captcha/{challenge}.wav").status_code == 404
    assert captcha.check(challenge, answer) is False  # still single use


def test_a_wrong_guess_burns_the_picture_too(portal):
    application, redis_client = portal
    client = application.test_client()
    fields = hidden_fields(client.get("/file").get_data(as_text=True))
    challenge = fields["captcha_id"]
    assert client.get(f"/captcha/{challenge}.png").status_code == 200
    refused = client.post("/file", data=form_data(**fields, captcha="ZZZZZ"))
    assert refused.status_code == 400
    assert kept_image(redis_client, challenge) is None
    assert client.get(f"/captcha/{challenge}.png").status_code == 404


def test_an_expired_challenge_has_no_picture_and_its_row_goes(app, ctx):
    challenge = captcha.issue()
    assert captcha.challenge_image(challenge)[:4] == b"\x89PNG"
    later = utcnow() + timedelta(seconds=app.config["CAPTCHA_TTL_SECONDS"] + 1)
    assert captcha.challenge_image(challenge, now=later) is None
    captcha.issue(now=later)  # issuing purges expired challenges, their pictures with them
    assert db.session.get(CaptchaChallenge, challenge) is None


def test_unknown_ids_draw_nothing(app, ctx):
    assert captcha.challenge_image("not-a-challenge") is None
    assert captcha.challenge_image("A" * 22) is None
    assert db.session.query(CaptchaChallenge).count() == 0


# --- the sound -------------------------------------------------------------------------------

CLIPS = {"A": bytes([200] * 6 + [60] * 6), "3": bytes(range(100, 110)), "K": bytes([140, 116] * 4)}


@pytest.fixture
def voices(tmp_path):
    for char, pcm in CLIPS.items():
        (tmp_path / char).mkdir()
        with wave.open(str(tmp_path / char / "cmn.wav"), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(1)
            w.setframerate(8000)
            w.writeframes(pcm)
    return Voices(tmp_path)


def test_each_character_is_heard_in_order_after_its_gap(voices):
    spoken = [Spoken("3", 1.0, 1.0, 5), Spoken("A", 1.0, 1.0, 3), Spoken("K", 1.0, 1.0, 2)]
    quiet = b"\x80" * (5 + 10 + 3 + 12 + 2 + 8)
    expected = (bytes(BEEP + SILENCE + BEEP + SILENCE + BEEP)
                + b"\x80" * 5 + bytes(range(100, 110))
                + b"\x80" * 3 + bytes([200] * 6 + [60] * 6)
                + b"\x80" * 2 + bytes([140, 116] * 4)
                + bytes(END_BEEP))
    assert voices.body(spoken, bed=quiet) == expected
    with wave.open(io.BytesIO(wav_file(expected))) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 1, 8000)
        assert w.readframes(w.getnframes()) == expected


def test_the_plan_follows_the_challenge_and_the_packages_ranges(voices):
    plan = voices.plan("3AK3A")
    assert [s.char for s in plan] == ["3", "A", "K", "3", "A"]
    assert all(0.9 <= s.speed <= 1.2 and 0.8 <= s.level <= 1.2 for s in plan)
    assert all(8000 <= s.gap <= 24000 for s in plan)


def test_speed_loudness_and_mixing_work_on_whole_buffers():
    assert slower(bytes([1, 2, 3, 4]), 1.5) == bytes([1, 2, 2, 3, 3, 4])
    assert slower(bytes([1, 2, 3, 4]), 0.5) == bytes([2, 4])
    assert louder(bytes([128, 138, 118, 250, 5]), 2.0) == bytes([128, 148, 108, 255, 0])
    assert louder(bytes([128, 148, 108]), 0.5) == bytes([128, 138, 118])
    track = bytearray([128, 128, 138, 200, 10])
    mix_into(track, bytes([138, 118, 138, 138]), 2)  # what runs past the end is cut
    assert track == bytearray([128, 128, 148, 190, 20])


def test_the_served_sound_is_made_of_the_real_voices(app, ctx):
    served = make_app(CAPTCHA_ENABLED=True)
    client = served.test_client()
    challenge = hidden_fields(client.get("/file").get_data(as_text=True))["captcha_id"]
    response = client.get(f"/captcha/{challenge}.wav")
    assert response.status_code == 200 and response.mimetype == "audio/wav"
    with wave.open(io.BytesIO(response.data)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 1, 8000)
        frames = w.getnframes()
    with served.app_context():
        clips = captcha.audio_voices().clips
    assert sorted(clips) == sorted(captcha.ALPHABET)  # the Mandarin voices, not the fallback
    beeps = 3 * len(BEEP) + 2 * len(SILENCE) + len(END_BEEP)
    longest = max(len(c[0]) for c in clips.values())
    # Five gaps of 1-3 s and five clips at 0.9-1.2 of their length, between the beeps.
    assert beeps + 5 * 8000 < frames <= beeps + 5 * 24000 + 5 * int(longest * 1.2)
    assert response.headers["Cache-Control"] == "no-store"


def test_a_kept_picture_never_outlives_its_answer_by_a_millisecond():
    """The relative form (PX of the answer's PTTL) left about one picture in 400 expiring 1 ms
    after its answer; 2,000 tries see that with a chance of 1 - (399/400)**2000 > 99 %."""
    redis_client = empty_redis(REDIS_URL)
    try:
        late = 0
        for n in range(2000):
            answer_key, image_key = f"answer:{n}", f"image:{n}"
            redis_client.set(answer_key, "ABCDE", px=600_000)
            redis_client.eval(captcha._KEEP_IMAGE, 2, answer_key, image_key, b"png")
            late += redis_client.pexpiretime(image_key) != redis_client.pexpiretime(answer_key)
        assert late == 0
        redis_client.delete("gone")
        assert redis_client.eval(captcha._KEEP_IMAGE, 2, "gone", "gone:image", b"png") is None
        assert redis_client.exists("gone:image") == 0  # no picture for an answer not there
    finally:
        redis_client.flushdb()
