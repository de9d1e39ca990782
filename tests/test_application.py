"""PortalFlask keeps what it learned of each hook and view, and nothing of a function that is
gone; a coroutine function always gets Flask's own answer."""

import gc

import pytest
from flask import after_this_request

from tests.appconfig import make_app


def test_plain_hooks_are_known_once_and_a_per_request_function_is_not_kept():
    app = make_app()
    seen = []

    @app.get("/plain-hooks")
    def plain_hooks():
        @after_this_request
        def once(response):
            seen.append("once")
            return response
        return "x"

    client = app.test_client()
    assert client.get("/plain-hooks").text == "x"
    assert client.get("/plain-hooks").text == "x"
    assert seen == ["once", "once"]
    gc.collect()
    kept = set(app._plain.keys())  # noqa: SLF001
    assert app.view_functions["plain_hooks"] in kept
    assert not any(getattr(f, "__name__", "") == "once" for f in kept)


def test_a_coroutine_function_is_never_taken_for_plain():
    app = make_app()

    async def coroutine_view():
        return "x"

    for _ in range(2):  # Flask's own answer each time: it needs its async extra to run one
        with pytest.raises(RuntimeError, match="async"):
            app.ensure_sync(coroutine_view)
    assert coroutine_view not in app._plain  # noqa: SLF001
    assert app.ensure_sync(len) is len  # a builtin, not weakly referable, passes through
