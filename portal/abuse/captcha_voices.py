"""The audio captcha's voices, spoken in Mandarin by espeak-ng, made once at setup.

``make setup`` runs ``python -m portal.abuse.captcha_voices DIR``; nothing is fetched or spoken
at run time. The captcha package reads a directory with one folder per character holding WAV
files (8 kHz, 8-bit, mono, as its bundled English voices are).
"""

import shutil
import subprocess  # nosec B404: espeak-ng is run with a fixed argument list, never a shell
import sys
import tempfile
import wave
from array import array
from pathlib import Path

ESPEAK_VOICE = "cmn"  # espeak-ng's Mandarin; it reads Latin letters by their English names
RATE = 8000
# What is spoken for each character of the captcha alphabet: digits as Chinese numerals.
SPOKEN = {"0": "零", "1": "一", "2": "二", "3": "三", "4": "四", "5": "五", "6": "六",
          "7": "七", "8": "八", "9": "九"}


def _to_captcha_format(source, target):
    """16-bit espeak-ng output resampled to 8 kHz unsigned 8-bit (nearest sample)."""
    with wave.open(str(source)) as w:
        rate, frames = w.getframerate(), w.readframes(w.getnframes())
    samples = array("h", frames)
    count = len(samples) * RATE // rate
    resampled = bytes((samples[i * rate // RATE] >> 8) + 128 for i in range(count))
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(RATE)
        out.writeframes(resampled)


def make_voices(target, alphabet, espeak=None):
    """One Mandarin recording per character of ``alphabet`` under ``target``/<char>/cmn.wav."""
    espeak = espeak or shutil.which("espeak-ng")
    if espeak is None:
        raise RuntimeError("espeak-ng is not installed (apt-get install espeak-ng)")
    target = Path(target)
    with tempfile.TemporaryDirectory() as tmp:
        for char in alphabet:
            raw = Path(tmp) / f"{char}.wav"
            subprocess.run([espeak, "-v", ESPEAK_VOICE, "-s", "140", "-w", str(raw),  # noqa: S603 # nosec B603
                            SPOKEN.get(char, char)], check=True, capture_output=True)
            folder = target / char
            folder.mkdir(parents=True, exist_ok=True)
            _to_captcha_format(raw, folder / f"{ESPEAK_VOICE}.wav")
    return target


def complete(voice_dir, alphabet):
    """Whether ``voice_dir`` holds a recording for every character of ``alphabet``."""
    root = Path(voice_dir)
    return all(any((root / char).glob("*.wav")) for char in alphabet)


if __name__ == "__main__":
    from portal.abuse.captcha import ALPHABET

    print(make_voices(sys.argv[1], ALPHABET))
