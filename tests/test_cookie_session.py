"""The signed-cookie session (portal/web/cookie_session.py) keeps its serializer per key set: a
rotated key stops the old cookies at once, unless the old key is kept as a fallback."""

from tests.appconfig import make_app

OLD, NEW = "o" * 40, "n" * 40


def page_language(client):
    html = client.get("/").text
    return "en" if '<html lang="en">' in html else "zh"


def test_a_rotated_key_drops_old_sessions_and_a_fallback_keeps_them():
    application = make_app(SECRET_KEY=OLD)
    client = application.test_client()
    client.get("/lang/en")
    assert page_language(client) == "en"
    application.secret_key = NEW
    assert page_language(client) == "zh"  # signed with the old key: not read
    application.config["SECRET_KEY_FALLBACKS"] = [OLD]
    client.get("/lang/en")  # signed with the new key from here on
    application.config["SECRET_KEY_FALLBACKS"] = []
    assert page_language(client) == "en"
    old_client = make_app(SECRET_KEY=OLD).test_client()
    old_client.get("/lang/en")
    cookie = old_client.get_cookie("session")
    client.set_cookie("session", cookie.value)
    assert page_language(client) == "zh"
    application.config["SECRET_KEY_FALLBACKS"] = [OLD]
    assert page_language(client) == "en"  # the old key, kept as a fallback, still reads it
