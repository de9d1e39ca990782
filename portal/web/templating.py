"""What every template may use: labels, masking of personal data, dates in local time."""

from datetime import date as Date

from flask import current_app, render_template, request, url_for
from flask_babel import format_date, format_datetime, get_translations, gettext
from jinja2 import pass_context
from markupsafe import Markup, escape
from wtforms.fields.choices import SelectChoice

from models import CHANNEL_LABELS, KIND_LABELS, ROLE_LABELS, Channel, Kind, Role, Status, access
from models.appraisal import GROUP_LABELS, Group
from models.deadlines import deadline_mark
from models.inspection import INSPECTION_KIND_LABELS, OUTCOME_LABELS, InspectionKind, Outcome
from models.publication import LETTER_STATE_LABELS, LOG_LABELS, LetterState
from models.rectification import PROGRESS_LABELS, SOURCE_LABELS, Progress, Source
from models.reply import RATING_LABELS, RatingValue
from models.report import REPORT_LABELS, TIMELINESS_LABELS, ReportStatus
from models.workflow import LABELS, citizen_history, citizen_label, event_label
from portal.abuse import captcha
from portal.abuse.html_cleaning import reply_markup
from portal.web.fixed_text import KEY as FIXED_TEXT_KEY
from portal.web.fixed_text import fixed_text
from portal.web.fixed_text import install as fixed_text_install
from portal.web.language import current_lang


def mask_name(name):
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask_phone(phone):
    digits = phone or ""
    if len(digits) <= 4:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7 if len(digits) > 7 else 1) + digits[-4:]


def mask_email(email):
    user, _, domain = (email or "").partition("@")
    return f"{user[:1]}***@{domain}" if domain else ""


def fixed_label(message, lang=None):
    """A fixed label in ``lang`` (default: the request's language), translated once per app
    and language (fixed_text): a staff list shows ~60 of them on every page. Babel's locale
    lookup alone costs ~40 µs; a caller that knows the page's language passes it."""
    return fixed_text().word(lang or current_lang(), message)


def kind_label(value):
    return fixed_label(KIND_LABELS[Kind(value)])


def channel_label(value):
    return fixed_label(CHANNEL_LABELS[Channel(value)])


def status_label(value):
    return fixed_label(LABELS[value])


def role_label(value):
    return fixed_label(ROLE_LABELS[Role(value)])


def choice_text(text):
    """A choice label made at import time with N_ is translated here, at render; labels from
    the database (already in the page's language) come through unchanged."""
    return gettext(str(text)) if text else text


def render_field(field, **attrs):
    """A form field with only the attributes that have a value (never ``aria-invalid="None"``),
    and its choices' labels translated."""
    attrs = {k: v for k, v in attrs.items() if v is not None and v != ""}
    choices = getattr(field, "choices", None)
    if not choices or field.type not in ("SelectField", "SelectMultipleField"):
        return field(**attrs)
    field.choices = [_translated(c) for c in choices]
    try:
        return field(**attrs)
    finally:
        field.choices = choices


def csrf_field(form):
    """The form's CSRF token without an id: a page with several forms would repeat it."""
    token = getattr(form, "csrf_token", None)
    return token(id=False) if token is not None else ""


def _translated(choice):
    if isinstance(choice, SelectChoice):
        return SelectChoice(choice.value, choice_text(choice.label), choice.render_kw,
                            choice.optgroup)
    value, label, *rest = choice
    return (value, choice_text(label), *rest)


class _Labels(dict):
    """value → its label in the page's language, each looked up at its first use: a 50-row
    list asks for the same few labels again and again."""

    def __init__(self, table, lang):
        super().__init__()
        self.table, self.lang = table, lang

    def __missing__(self, value):
        text = self[value] = fixed_label(self.table[value], self.lang)
        return text


def page_labels():
    """Fresh per render (the language is the request's): ``labels.kind[c.kind]`` and so on."""
    lang = current_lang()
    return {"kind": _Labels(KIND_LABELS, lang), "channel": _Labels(CHANNEL_LABELS, lang),
            "status": _Labels(LABELS, lang)}


_HOLE = 918273645546372819  # stands for the value in the built URL; no route contains it


def url_template(endpoint, param):
    """``url_for(endpoint, **{param: v})`` for an int ``param``, built once: the returned
    function fills in ``v``. One url_for per row would cost ~15 µs each."""
    before, after = url_for(endpoint, **{param: _HOLE}).split(str(_HOLE))
    return lambda value: f"{before}{int(value)}{after}"


def format_day(d):
    # A plain date needs neither locale nor time zone: yyyy-MM-dd is its ISO form, without
    # Babel's pattern machinery. Datetimes still go through Babel (the user's time zone).
    if type(d) is Date:
        return d.isoformat()
    return format_date(d, "yyyy-MM-dd") if d else ""


def option_pieces(choices):
    """(value, label) pairs as the two halves of their <option> element, escaped once, for
    ``options``: whatever chooses them can keep them and skip escaping on every page."""
    return tuple((value, f'<option value="{escape(value)}"', f">{escape(label)}</option>")
                 for value, label in choices)


def options(pieces, selected):
    """The <option> elements of ``pieces`` (option_pieces), ``selected`` marked."""
    return Markup("".join(  # noqa: S704  # nosec B704  (option_pieces escaped every value)
        f"{before} selected{after}" if value == selected else before + after
        for value, before, after in pieces))


def cache_template_gettext(app):
    """Templates' ``_()`` looked up once per app for each language and message (fixed_text):
    Babel's own looks up the request's translations on every call (~10 µs; a staff page makes
    50). The language is the template context's ``lang`` (the context processor below; Babel's
    selector is the same ``current_lang``, app.py), read without a context-local lookup; a
    template rendered without context processors takes ``current_lang``. Jinja's newstyle
    wrapper still escapes and fills in the variables."""
    fixed_text_install(app)
    words = app.extensions[FIXED_TEXT_KEY]

    @pass_context
    def gettext_cached(context, message):
        return words.word(context.get("lang") or current_lang(), message)

    app.jinja_env.install_gettext_callables(
        gettext=gettext_cached,
        ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: get_translations().unpgettext(c, s, p, n),
    )


@pass_context
def fragment(context, name, **flags):
    """Template ``name`` rendered once per app for each language, script root and set of
    ``flags`` (booleans or short strings that choose what it shows, such as the staff
    navigation's role links), then reused: its links and words do not change between
    requests, and ~20 url_for and gettext calls cost ~0.6 ms a page. Nothing per user or
    per request may go into such a template."""
    key = (name, context.get("lang") or current_lang(), request.script_root if request else "",
           tuple(sorted(flags.items())))
    # A rendered template: Jinja escaped every value in it already.
    return fixed_text().fragment(
        key, lambda: Markup(render_template(name, **flags)))  # noqa: S704  # nosec B704


def topic_label(name):
    """A topic named in stored figures (by its Chinese name), in the page's language."""
    from models import all_topics

    found = next((t for t in all_topics() if t.name == name), None)
    return found.display_name(current_lang()) if found else name


def bounds(field):
    """(min, max) of the first validator of ``field`` that has them (Length, NumberRange, the
    extension days), so that a hint shows the very limits the form checks."""
    for validator in field.validators:
        if hasattr(validator, "min") and hasattr(validator, "max"):
            return validator.min, validator.max
    return None, None


def register(app):
    from portal.web.case_rows import case_rows, extension_rows  # built on this module's helpers

    # A global, not a context variable: macros imported without context (the captcha field)
    # see globals only.
    app.jinja_env.globals["captcha_length"] = captcha.LENGTH
    app.jinja_env.filters.update(
        bounds=bounds,
        mask_name=mask_name,
        mask_phone=mask_phone,
        mask_email=mask_email,
        kind_label=kind_label,
        channel_label=channel_label,
        status_label=status_label,
        citizen_label=lambda value: gettext(citizen_label(value)),
        role_label=role_label,
        citizen_history=citizen_history,
        event_label=lambda event: gettext(event_label(event)),
        rating_label=lambda value: gettext(RATING_LABELS[RatingValue(value)]),
        reply_html=reply_markup,
        choice_text=choice_text,
        render_field=render_field,
        csrf_field=csrf_field,
        topic_label=topic_label,
        progress_label=lambda value: gettext(PROGRESS_LABELS[Progress(value)]),
        source_label=lambda value: gettext(SOURCE_LABELS[Source(value)]),
        group_label=lambda value: gettext(GROUP_LABELS[Group(value)]),
        report_label=lambda value: gettext(REPORT_LABELS[ReportStatus(value)]),
        timeliness_label=lambda value: gettext(TIMELINESS_LABELS[value]),
        letter_state_label=lambda value: gettext(LETTER_STATE_LABELS[LetterState(value)]),
        letter_log_label=lambda value: gettext(LOG_LABELS[value]),
        inspection_kind_label=lambda value: gettext(INSPECTION_KIND_LABELS[InspectionKind(value)]),
        outcome_label=lambda value: gettext(OUTCOME_LABELS[Outcome(value)]),
        reject_key=lambda mapping, key: {k: v for k, v in mapping.items() if k != key},
        date=format_day,
        datetime=lambda d: format_datetime(d, "yyyy-MM-dd HH:mm") if d else "",
    )

    # Templates ask the permission rules (models/access.py), never re-derive them from roles.
    app.jinja_env.globals.update(
        is_office=access.is_office,
        is_admin=access.is_admin,
        receiving_units=access.receiving_units,
        contact_view=access.contact_view,
        may_see_escalations=access.sees_escalations,
        page_labels=page_labels,
        url_template=url_template,
        case_rows=case_rows,
        extension_rows=extension_rows,
        fragment=fragment,
        options=options,
    )

    @app.context_processor
    def globals_():
        lang = current_lang()
        return {
            "lang": lang,
            "bureau": current_app.config["PORTAL_BUREAU_NAME_EN" if lang == "en" else
                                         "PORTAL_BUREAU_NAME"],
            "hotline": current_app.config["PORTAL_HOTLINE"],
            "here": request.full_path.rstrip("?") if request else "/",
            "deadline_mark": deadline_mark,
            "kinds": [k.value for k in Kind],
            "channels": [c.value for c in Channel],
            "statuses": [s.value for s in Status],
        }
