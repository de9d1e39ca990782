"""Staff search: a case by its number, words of its title or content, or its contact's name or
phone, within what the searcher may see.

On PostgreSQL the ``LIKE '%…%'`` conditions are served by the trigram index on the searched
columns (``ix_case_search_trgm``, pg_trgm), Chinese substrings of three characters or more
included; SQLite scans, which is fine at its scale.
"""

import re
import unicodedata

from sqlalchemy import false, or_, select

from models.access import contact_visible_clause
from models.base import DomainError
from models.case import Case, digits_of
from models.i18n import N_
from models.queues import fenced

MIN_LENGTH, MAX_LENGTH = 2, 50
RESULTS = 50
# A term of digits with the separators people type in phone numbers; four digits at least,
# so that a year or a short count is not taken for part of a phone number.
_PHONE_LIKE = re.compile(r"\+?[0-9][0-9 ()-]{2,}")
_SPACES = re.compile(r"\s+")


class SearchTermError(DomainError):
    pass


def normalize_term(text):
    """The term as searched: full-width letters and digits (a Chinese input method's) made
    plain, runs of spaces made one; refused when too short or too long to mean anything."""
    term = _SPACES.sub(" ", unicodedata.normalize("NFKC", text or "")).strip()
    if len(term) < MIN_LENGTH:
        raise SearchTermError(N_("请输入至少 2 个字（编号、标题或内容中的词、姓名或电话）。"))
    if len(term) > MAX_LENGTH:
        raise SearchTermError(N_("搜索内容不能超过 50 个字。"))
    return term


def _contains(column, term):
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def search_condition(term, viewer):
    """Where a case matches ``term`` for ``viewer``: its number exactly, a substring of its
    title or content, or, where the viewer may read them, of its contact's name or phone."""
    number = re.sub(r"[\s-]", "", term).upper()
    digits = digits_of(term) if _PHONE_LIKE.fullmatch(term) else ""
    contact = or_(_contains(Case.name, term),
                  _contains(Case.phone_digits, digits) if len(digits) >= 4 else false())
    return or_(Case.number == number, _contains(Case.title, term), _contains(Case.content, term),
               contact_visible_clause(viewer) & contact)


def search(term, viewer, fence_unit_id):
    """The newest ``RESULTS`` cases matching ``term`` (already normalized) that ``viewer`` may
    see: all for the office, their own unit's for unit staff (``fence_unit_id``)."""
    stmt = select(Case).where(search_condition(term, viewer))
    return fenced(stmt, fence_unit_id).order_by(Case.id.desc()).limit(RESULTS)
