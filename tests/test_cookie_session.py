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


def _vary_app():
    from flask import make_response, session

    application = make_app()

    @application.get("/reads")
    def reads():
        return session.get("lang", "none")

    @application.get("/reads-with-vary")
    def reads_with_vary():
        session.get("lang")
        response = make_response("x")
        response.headers["Vary"] = "Accept-Language"
        return response

    @application.get("/ignores")
    def ignores():
        return "x"

    return application


def test_an_empty_session_writes_no_cookie_and_says_vary_cookie_once():
    client = _vary_app().test_client()
    # Every response varies by cookie, the view's own Vary kept: Flask-Login's after-request
    # hook reads the session on every request, as Flask's own save_session would record.
    for path, vary in (("/reads", ["Cookie"]), ("/reads-with-vary", ["Accept-Language, Cookie"]),
                       ("/ignores", ["Cookie"])):
        response = client.get(path)
        assert response.headers.getlist("Vary") == vary, path
        assert response.headers.getlist("Set-Cookie") == [], path


def test_a_session_emptied_by_the_request_deletes_its_cookie():
    from flask import session

    application = _vary_app()

    @application.get("/forget")
    def forget():
        session.clear()
        return "x"

    client = application.test_client()
    client.get("/lang/en")
    assert client.get_cookie("session") is not None
    response = client.get("/forget")
    assert response.headers.getlist("Vary") == ["Cookie"]
    assert client.get_cookie("session") is None
