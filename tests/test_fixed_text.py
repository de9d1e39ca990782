"""Fixed texts kept per app (portal/web/fixed_text.py): each translated in its own key's language
whatever locale Babel holds, never shared between two apps, and the fragment store bounded."""

from flask import render_template_string, session
from jinja2 import ChoiceLoader, DictLoader

from portal.web import fixed_text
from portal.web.templating import fixed_label
from tests.appconfig import make_app

# Words a page shows, with their English as the catalogue has it.
SIGN_IN, SIGN_IN_EN = "登录", "Sign in"


def words_in(app, lang):
    with app.test_request_context("/"):
        if lang:
            session["lang"] = lang
        return (fixed_label(SIGN_IN),
                render_template_string("{{ _('登录') }}|{{ fragment('t.html') }}"))


def with_templates(app, templates):
    app.jinja_loader  # noqa: B018  (Flask builds the loader lazily; chain ours before it)
    app.jinja_env.loader = ChoiceLoader([DictLoader(templates), app.jinja_env.loader])
    return app


def test_a_request_inside_an_open_app_context_gets_its_own_language():
    # Flask-Babel keeps the locale on g for the whole app context: the second request below
    # sees the first one's locale, so a cache filled from Babel's locale would keep the wrong
    # words under the new language's key, for the life of the app.
    app = with_templates(make_app(), {"t.html": "{{ _('登录') }}"})
    with app.app_context():
        assert words_in(app, None) == (SIGN_IN, f"{SIGN_IN}|{SIGN_IN}")
        assert words_in(app, "en") == (SIGN_IN_EN, f"{SIGN_IN_EN}|{SIGN_IN_EN}")
    other = with_templates(make_app(), {"t.html": "{{ _('登录') }}"})
    with other.app_context():
        assert words_in(other, "en") == (SIGN_IN_EN, f"{SIGN_IN_EN}|{SIGN_IN_EN}")
        assert words_in(other, "zh") == (SIGN_IN, f"{SIGN_IN}|{SIGN_IN}")


def test_two_apps_in_one_process_keep_their_own_fragments():
    first = with_templates(make_app(), {"t.html": "first app"})
    second = with_templates(make_app(), {"t.html": "second app"})
    with first.app_context():
        assert words_in(first, "zh")[1] == f"{SIGN_IN}|first app"
    with second.app_context():
        assert words_in(second, "zh")[1] == f"{SIGN_IN}|second app"


def test_the_fragment_store_stops_growing_at_its_limit_and_still_renders():
    app = with_templates(make_app(), {"n.html": "n={{ n }}"})
    limit = fixed_text.FRAGMENT_LIMIT
    with app.app_context(), app.test_request_context("/"):
        pages = [render_template_string("{{ fragment('n.html', n=n) }}", n=n)
                 for n in range(limit + 5)]
        assert pages == [f"n={n}" for n in range(limit + 5)]
        assert len(app.extensions[fixed_text.KEY].fragments) == limit
