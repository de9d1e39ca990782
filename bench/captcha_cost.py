"""What the captcha costs a form view under the production controls, against a bare Flask route
timed the same way in the same run: issuing a challenge, drawing its PNG, assembling its WAV, and
GET /file + its PNG + its WAV through the Flask test client. Two passes, so the noise shows.

Usage: python bench/captcha_cost.py [--rounds 40]
Captcha answers go to Redis at BENCH_REDIS_URL (default redis://127.0.0.1:6379/13, keys expire by
themselves); the database is a throwaway SQLite file. Rate limits are off (they would refuse a
benchmark); CSRF and the captcha are on. Prints the median ms per operation, the CPU ms, and each
ratio bare/operation (1.0 = as cheap as the bare route).
"""

import argparse
import logging
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bare import create_app as create_bare  # noqa: E402
from tests.appconfig import make_app, seed_reference_data  # noqa: E402

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
CHALLENGE = re.compile(r'name="captcha_id" type="hidden" value="([^"]+)"')


def per_call_ms(fn, rounds):
    """Median wall time of one call, in ms (the median, as the machine is shared: a neighbour's
    burst moves the mean), and this process's mean CPU time per call."""
    fn()  # warm: fonts, voices, templates, connections
    walls = []
    cpu = time.process_time()
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        walls.append((time.perf_counter() - start) * 1000)
    return statistics.median(walls), (time.process_time() - cpu) * 1000 / rounds


def measure(portal, bare_client, rounds):
    from portal.abuse import captcha

    client = portal.test_client()
    with portal.test_request_context():
        issued = [captcha.issue() for _ in range(rounds + 1)]
        answer = captcha.peek(issued[0])
        pieces = {
            "issue a challenge": lambda: captcha.issue(),
            "draw the PNG": lambda: captcha.image_png(answer),
            "assemble the WAV": lambda: captcha.audio_wav(answer),
        }
        rows = {name: per_call_ms(fn, rounds) for name, fn in pieces.items()}

    def form_png_wav():
        html = client.get("/file").get_data(as_text=True)
        challenge = CHALLENGE.search(html).group(1)
        assert client.get(f"/captcha/{challenge}.png").status_code == 200
        assert client.get(f"/captcha/{challenge}.wav").status_code == 200

    def form_only():
        assert client.get("/file").status_code == 200

    def png_again():
        # The same challenge's image asked for twice (a reload of the picture alone).
        html = client.get("/file").get_data(as_text=True)
        challenge = CHALLENGE.search(html).group(1)
        client.get(f"/captcha/{challenge}.png")
        client.get(f"/captcha/{challenge}.png")

    rows["GET /file"] = per_call_ms(form_only, rounds)
    rows["GET /file + .png + .wav"] = per_call_ms(form_png_wav, rounds)
    rows["GET /file + .png twice"] = per_call_ms(png_again, rounds)
    bare = per_call_ms(lambda: bare_client.get("/"), rounds * 10)
    return bare, rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    logging.disable(logging.INFO)  # one request log line each would time the terminal
    portal = make_app(WTF_CSRF_ENABLED=True, CAPTCHA_ENABLED=True, RATELIMIT_ENABLED=False,
                      REDIS_URL=REDIS_URL)
    seed_reference_data(portal)
    bare_client = create_bare().test_client()
    for run in (1, 2):
        (bare, bare_cpu), rows = measure(portal, bare_client, args.rounds)
        print(f"pass {run}: bare route {bare:.3f} ms (cpu {bare_cpu:.3f} ms)")
        for name, (ms, cpu) in rows.items():
            print(f"  {name:<26} {ms:9.2f} ms  ratio {bare / ms:.4f}"
                  f"   cpu {cpu:8.2f} ms  ratio {bare_cpu / cpu:.4f}")


if __name__ == "__main__":
    main()
