"""Debian's Chromium driven by Playwright against the portal served over real HTTP."""

import os
import shutil
from pathlib import Path

import pytest

from tests.appconfig import make_app
from tests.live import LiveServer

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs Debian's chromium (apt-get install chromium)")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def live(app):
    """The portal as in production: CSRF and captcha on, limits off so the flows can repeat."""
    served = make_app(WTF_CSRF_ENABLED=True, CAPTCHA_ENABLED=True)
    with LiveServer(served) as server:
        yield server


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
