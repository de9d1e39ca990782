"""The spoken captcha, assembled from the voice clips with Pillow's C loops.

The captcha package's AudioCaptcha changes speed and loudness, makes noise and mixes it one
sample at a time in Python (about 400 ms a challenge). Here the clips are read once per process
and every step runs over whole buffers: speed by a nearest-neighbour resize, loudness by a byte
table, noise from os.urandom through a byte table, mixing by ImageChops.add (a plain sum of the
signals around the 128 midpoint). What is heard is the same: three beeps, each character after a
1-3 s gap, random speed and loudness per character, reversed quiet voices and hiss underneath.
"""

import os
import secrets
import struct
import wave
from dataclasses import dataclass
from pathlib import Path

from captcha.audio import BEEP, END_BEEP, SILENCE
from PIL import Image, ImageChops

RATE = 8000
MIDPOINT = 128
# The package's ranges: speed 0.90-1.20 (longer is slower), loudness 0.80-1.20, gap 1-3 s;
# the voices underneath reversed, at 0.8-1.6 speed and 0.2-0.6 loudness, 0-0.1 s apart.
SPEEDS = tuple(s / 100 for s in range(90, 121))
LEVELS = tuple(v / 100 for v in range(80, 121))
GAPS = (RATE, 3 * RATE)
BABBLE_SPEEDS = tuple(s / 10 for s in range(8, 17))
BABBLE_LEVELS = tuple(v / 10 for v in range(2, 7))
_RANDOM = secrets.SystemRandom()
HISS = bytes(MIDPOINT - 2 + b % 4 for b in range(256))  # os.urandom bytes to 126..129


@dataclass(frozen=True)
class Spoken:
    """One character as it will be heard: after ``gap`` samples, at this speed and loudness."""
    char: str
    speed: float
    level: float
    gap: int


def _level_table(level):
    return bytes(min(255, max(0, round(MIDPOINT + (v - MIDPOINT) * level))) for v in range(256))


_LEVEL_TABLES = {}


def louder(pcm, level):
    """``pcm`` (unsigned 8-bit) with its distance from the midpoint scaled by ``level``."""
    if level == 1:
        return pcm
    if level not in _LEVEL_TABLES:
        _LEVEL_TABLES[level] = _level_table(level)
    return pcm.translate(_LEVEL_TABLES[level])


def slower(pcm, speed):
    """``pcm`` stretched to ``speed`` times its length (nearest sample, as the package does)."""
    if speed == 1 or not pcm:
        return pcm
    line = Image.frombytes("L", (len(pcm), 1), pcm)
    return line.resize((max(1, int(len(pcm) * speed)), 1), Image.Resampling.NEAREST).tobytes()


def mix_into(track, over, at):
    """``over`` added onto the bytearray ``track`` from sample ``at`` (signals summed, clipped
    at the ends of the 8-bit range); what would run past the end of ``track`` is cut."""
    part = bytes(track[at:at + len(over)])
    over = over[:len(part)]
    if over:
        summed = ImageChops.add(Image.frombytes("L", (len(part), 1), part),
                                Image.frombytes("L", (len(over), 1), over),
                                scale=1.0, offset=-MIDPOINT)
        track[at:at + len(over)] = summed.tobytes()


class Voices:
    """The clips of one voice directory (<char>/*.wav, 8 kHz unsigned 8-bit), read once."""

    def __init__(self, voice_dir):
        self.clips = {}
        for folder in sorted(Path(voice_dir).iterdir()):
            if len(folder.name) == 1 and folder.is_dir():
                self.clips[folder.name] = [_frames(f) for f in sorted(folder.glob("*.wav"))]
        self._babble = [clip[::-1] for clips in self.clips.values() for clip in clips]

    def plan(self, chars, rng=_RANDOM):
        """How each character of ``chars`` will be spoken, in order."""
        return [Spoken(c, rng.choice(SPEEDS), rng.choice(LEVELS), rng.randint(*GAPS))
                for c in chars]

    def bed(self, length, rng=_RANDOM):
        """``length`` samples of hiss with reversed quiet voices one after another."""
        noise = bytearray(os.urandom(length).translate(HISS))
        at = 0
        while at < length:
            babble = louder(slower(rng.choice(self._babble), rng.choice(BABBLE_SPEEDS)),
                            rng.choice(BABBLE_LEVELS))
            mix_into(noise, babble, at)
            at += len(babble) + 1 + rng.randint(0, RATE // 10)
        return bytes(noise)

    def body(self, spoken, bed=None, rng=_RANDOM):
        """The PCM heard: beeps, then each character after its gap over the bed, an end beep.
        ``bed`` (as long as the spoken part) is made here unless given."""
        voices = [louder(slower(rng.choice(self.clips[s.char]), s.speed), s.level)
                  for s in spoken]
        length = sum(s.gap for s in spoken) + sum(len(v) for v in voices)
        track = bytearray(bed if bed is not None else self.bed(length, rng))
        at = 0
        for s, voice in zip(spoken, voices, strict=True):
            at += s.gap
            mix_into(track, voice, at)
            at += len(voice)
        return bytes(BEEP + SILENCE + BEEP + SILENCE + BEEP) + bytes(track) + bytes(END_BEEP)

    def wav(self, chars):
        """The WAV file speaking ``chars``."""
        return wav_file(self.body(self.plan(chars)))


def _frames(path):
    with wave.open(str(path)) as w:
        return w.readframes(w.getnframes())


def wav_file(pcm):
    """``pcm`` as a mono 8 kHz unsigned 8-bit WAV file (RIFF chunks padded to even length)."""
    pad = b"\0" * (len(pcm) % 2)
    fmt = struct.pack("<4sIHHIIHH", b"fmt ", 16, 1, 1, RATE, RATE, 1, 8)
    data = struct.pack("<4sI", b"data", len(pcm)) + pcm + pad
    return struct.pack("<4sI4s", b"RIFF", 4 + len(fmt) + len(data), b"WAVE") + fmt + data
