"""The base of every form: Flask-WTF's FlaskForm, with WTForms' own messages (for the few checks
whose wording is WTForms', not ours) loaded once per language and process. Flask-WTF reads that
catalogue file again for every request that builds a form: 1.4 ms of a filing's time."""

from functools import lru_cache

from babel import support
from flask import current_app
from flask_babel import get_locale
from flask_wtf import FlaskForm as _FlaskForm
from wtforms.i18n import messages_path


@lru_cache(maxsize=8)
def _catalogue(locale):
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _Translations:
    def gettext(self, string):
        return _catalogue(str(get_locale())).ugettext(string)

    def ngettext(self, singular, plural, n):
        return _catalogue(str(get_locale())).ungettext(singular, plural, n)


_TRANSLATIONS = _Translations()


class FlaskForm(_FlaskForm):
    class Meta(_FlaskForm.Meta):
        def get_translations(self, form):
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return _TRANSLATIONS
