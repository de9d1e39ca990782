"""Texts that do not change while an app runs, kept per app: labels and template words
translated once per language, and page fragments rendered once per language and flags.

Each text is translated in the language of its own cache key, never in Babel's current locale:
Flask-Babel keeps that locale on ``g`` for the whole application context, so a request pushed
inside an existing app context (a test, a CLI command rendering a page) would read the previous
request's language, and a cache keyed by the new one would keep the wrong words for good."""

from flask import current_app
from flask_babel import force_locale, get_translations

KEY = "pingyi_fixed_text"

# Fragments are few (one navigation per language and role set); a bound keeps a deployment
# mistake, such as a script root taken from the request, from growing one without end.
FRAGMENT_LIMIT = 64


class FixedText:
    def __init__(self):
        self.words = {}        # (lang, message) -> its translation
        self.fragments = {}    # (name, lang, script root, flags) -> rendered markup
        self._catalogues = {}  # lang -> Babel's Translations for that language

    def catalogue(self, lang):
        found = self._catalogues.get(lang)
        if found is None:
            with force_locale(lang):
                found = self._catalogues[lang] = get_translations()
        return found

    def word(self, lang, message):
        key = (lang, message)
        text = self.words.get(key)
        if text is None:
            text = self.words[key] = self.catalogue(lang).ugettext(message)
        return text

    def fragment(self, key, render):
        html = self.fragments.get(key)
        if html is None:
            html = render()
            if len(self.fragments) < FRAGMENT_LIMIT:
                self.fragments[key] = html
        return html


def install(app):
    app.extensions[KEY] = FixedText()


def fixed_text():
    return current_app.extensions[KEY]
