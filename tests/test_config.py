"""Production refuses unsafe settings; development and production differ only where meant."""

import secrets

import pytest

import config
from app import create_app


def production(**overrides):
    return type("Prod", (config.ProductionConfig,), overrides)


def test_production_refuses_missing_or_development_secret():
    for secret in (None, "", "dev-only-not-secret", "short"):
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            create_app(production(SECRET_KEY=secret, SQLALCHEMY_DATABASE_URI="sqlite://"))


def test_production_refuses_missing_database_url():
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app(production(SECRET_KEY=secrets.token_hex(32), SQLALCHEMY_DATABASE_URI=None))


def test_production_starts_with_real_settings_and_all_controls_on():
    app = create_app(production(SECRET_KEY=secrets.token_hex(32), SQLALCHEMY_DATABASE_URI="sqlite://"))
    for key in ("WTF_CSRF_ENABLED", "CAPTCHA_ENABLED", "RATELIMIT_ENABLED", "SESSION_COOKIE_SECURE"):
        assert app.config[key] is True, key
    assert app.debug is False


def test_default_environment_is_production(monkeypatch):
    monkeypatch.delenv("PORTAL_ENV", raising=False)
    assert config.load_config() is config.ProductionConfig
    monkeypatch.setenv("PORTAL_ENV", "nonsense")
    with pytest.raises(RuntimeError, match="PORTAL_ENV"):
        config.load_config()


def test_security_headers_on_pages_and_errors(client):
    for url in ("/", "/file", "/no-such-page"):
        h = client.get(url).headers
        assert "frame-ancestors 'none'" in h["Content-Security-Policy"]
        assert "script-src 'self'" in h["Content-Security-Policy"]
        assert h["X-Content-Type-Options"] == "nosniff"
        assert h["Referrer-Policy"] == "same-origin"


def test_no_inline_script_in_pages(client):
    for url in ("/", "/file", "/track"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html and "onclick=" not in html


def test_static_assets_are_served_locally(client):
    html = client.get("/").get_data(as_text=True)
    assert "http://" not in html.split("<body>")[0] and "https://" not in html
    assert client.get("/static/css/site.css").status_code == 200
    assert client.get("/static/js/site.js").status_code == 200
