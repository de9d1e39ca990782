"""Staff search: a case by its number, words of its title or content, or its contact's name or
phone, within what the searcher may see.

On PostgreSQL, ``LIKE '%…%'`` on three characters or more is served by the trigram index
(``ix_case_search_trgm``, pg_trgm). Trigrams cannot serve two characters, yet most Chinese
words and names are two: those are looked up in titles and names only, through a GIN index of
their text with every character doubled (``ix_case_search_pairs``); content needs three
characters or more. SQLite scans, which is fine at its scale, with the same rules.
"""

import re
import unicodedata

from sqlalchemy import DDL, event, false, literal_column, or_, select

from models.access import contact_visible_clause
from models.base import DomainError, db
from models.case import Case, digits_of
from models.i18n import N_
from models.queues import fenced

MIN_LENGTH, MAX_LENGTH, TRIGRAM = 2, 50, 3
RESULTS = 50
# A term of digits with the separators people type in phone numbers; digits_of must leave
# four at least, so that a short count is not taken for part of a phone number.
_PHONE_LIKE = re.compile(r"\+?[0-9][0-9 ()-]{2,}")
_SPACES = re.compile(r"\s+")

# Two characters are no trigram, but doubled they hold two: "胡刚" is in a text exactly when
# "胡胡刚刚" is in the text with every character doubled. This index serves that on titles
# and names (PostgreSQL only); the expression is written once, here, for index and query.
PAIRS_EXPRESSION = r"regexp_replace(title || ' ' || name, '(.)', '\1\1', 'g')"
PAIRS_INDEX_SQL = (f'CREATE INDEX ix_case_search_pairs ON "case" USING gin '
                   f"(({PAIRS_EXPRESSION}) gin_trgm_ops)")


# The planner picks between reading the newest cases backwards until 50 match and fetching every
# match from the trigram indexes, by its guess of how many match. At the default statistics
# target (100) a name shared by 800 cases of a million was guessed at 6,700 and the backward
# read took 200 ms to 1.1 s; at 1000 the sample holds the common names, titles and their
# doubled text, the guess is close and the slowest search at a million cases takes 20 ms.
STATISTICS_TARGET = 1000
STATISTICS_SQL = (
    f'ALTER TABLE "case" ALTER title SET STATISTICS {STATISTICS_TARGET}, '
    f"ALTER name SET STATISTICS {STATISTICS_TARGET}, "
    f"ALTER content SET STATISTICS {STATISTICS_TARGET}",
    f"ALTER INDEX ix_case_search_pairs ALTER COLUMN 1 SET STATISTICS {STATISTICS_TARGET}",
)


class SearchTermError(DomainError):
    pass


def normalize_term(text):
    """The term as searched: spaces trimmed and runs of them made one; refused when too
    short or too long to mean anything. Text columns are matched as typed (full-width
    punctuation is part of Chinese text); numbers and phones are read through NFKC."""
    term = _SPACES.sub(" ", text or "").strip()
    if len(term) < MIN_LENGTH:
        raise SearchTermError(N_("请输入至少 2 个字（编号、标题或内容中的词、姓名或电话）。"))
    if len(term) > MAX_LENGTH:
        raise SearchTermError(N_("搜索内容不能超过 50 个字。"))
    return term


def _contains(column, term):
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def _pairs_hit(term):
    """Cases whose title or name holds ``term`` (two characters), by the pairs index; the
    LIKE conditions then apply the contact rule to the name."""
    return _contains(literal_column(PAIRS_EXPRESSION), "".join(c * 2 for c in term))


def search_condition(term, viewer, postgres=False):
    """Where a case matches ``term`` for ``viewer``: its number exactly, a substring of its
    title (or content, for three characters or more), or, where the viewer may read them, of
    its contact's name or phone."""
    plain = unicodedata.normalize("NFKC", term)
    number = re.sub(r"[\s-]", "", plain).upper()
    digits = digits_of(plain) if _PHONE_LIKE.fullmatch(plain) else ""
    visible = contact_visible_clause(viewer)
    phone = visible & _contains(Case.phone_digits, digits) if len(digits) >= 4 else false()
    words = or_(_contains(Case.title, term), visible & _contains(Case.name, term))
    if len(term) >= TRIGRAM:
        words = or_(words, _contains(Case.content, term))
    elif postgres:
        words = _pairs_hit(term) & words
    return or_(Case.number == number, words, phone)


def search(term, viewer, fence_unit_id, before_id=None):
    """A page of the cases matching ``term`` (already normalized) that ``viewer`` may see (all
    for the office, their own unit's for unit staff: ``fence_unit_id``), newest first: the
    ``RESULTS`` newest filed before case ``before_id`` (None: the newest of all), and one more
    row, which tells that another page follows."""
    postgres = db.engine.dialect.name == "postgresql"
    stmt = select(Case).where(search_condition(term, viewer, postgres))
    if before_id is not None:
        stmt = stmt.where(Case.id < before_id)
    return fenced(stmt, fence_unit_id).order_by(Case.id.desc()).limit(RESULTS + 1)


# Declared as DDL, not as an Index: the expression is PostgreSQL's own (migrations/env.py
# leaves it out of the schema comparison); created with the table, as the migration does.
event.listen(Case.__table__, "after_create", DDL(PAIRS_INDEX_SQL).execute_if(dialect="postgresql"))
for _sql in STATISTICS_SQL:
    event.listen(Case.__table__, "after_create", DDL(_sql).execute_if(dialect="postgresql"))
