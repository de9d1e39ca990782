"""Publishing replied letters (信件公开): prepare a redacted copy, review it, publish, withdraw.

Every function checks the actor and the citizen's consent itself (a view that forgot to would
still be refused), logs what it did and commits once.
"""


from models import DomainError, db
from models.access import may_publish
from models.i18n import N_
from models.publication import (
    LetterLog,
    LetterState,
    PublishedLetter,
    check_publishable,
    letter_for_case,
)
from models.redaction import redact
from models.reply import rating_of, released_reply
from portal.abuse.html_cleaning import plain_text_of
from portal.services.transaction import rolls_back


def _office_only(actor):
    if not may_publish(actor):
        raise DomainError(N_("只有评议办可以公开信件。"))


def _log(letter, actor, action, now, note=""):
    letter.logs.append(LetterLog(at=now, actor_id=actor.id, action=action, note=note))


def _refresh_facts(letter, case):
    """The copy's dates, section and rating follow the case; its words do not."""
    reply = released_reply(case.id)
    rating = rating_of(reply.id) if reply else None
    letter.kind, letter.unit_id, letter.topic_id = case.kind, case.unit_id, case.topic_id
    letter.received_on, letter.replied_on = case.received_on, case.replied_on
    letter.year = case.received_on.year
    letter.rating = rating.value if rating else None


@rolls_back
def prepare_letter(case, *, actor, now):
    """The letter of ``case`` for review: made once with the personal data masked (the
    contact name given at filing among it); a letter already prepared is returned as it is."""
    _office_only(actor)
    check_publishable(case)
    letter = letter_for_case(case.id)
    if letter is not None:
        return letter
    reply = released_reply(case.id)
    names = [case.name]
    letter = PublishedLetter(
        case_id=case.id, state=LetterState.DRAFT.value, prepared_at=now,
        title=redact(case.title, names), question=redact(case.content, names),
        answer=redact(plain_text_of(reply.body_html) if reply else "", names))
    _refresh_facts(letter, case)
    db.session.add(letter)
    _log(letter, actor, "prepared", now)
    db.session.commit()
    return letter


@rolls_back
def edit_letter(letter, *, actor, title, question, answer, now):
    """The office's corrections to the redacted copy; the case keeps its own words."""
    _office_only(actor)
    check_publishable(letter.case)
    letter.title, letter.question, letter.answer = title, question, answer
    _log(letter, actor, "edited", now)
    db.session.commit()
    return letter


@rolls_back
def publish_letter(letter, *, actor, now):
    _office_only(actor)
    check_publishable(letter.case)  # consent is checked at the moment of publishing too
    if letter.state == LetterState.PUBLISHED:
        raise DomainError(N_("该信件已公开。"))
    _refresh_facts(letter, letter.case)
    letter.state, letter.published_at = LetterState.PUBLISHED.value, now
    _log(letter, actor, "published", now)
    db.session.commit()
    return letter


@rolls_back
def withdraw_letter(letter, *, actor, reason, now):
    """Take a published letter down, with the reason kept in the log."""
    _office_only(actor)
    if letter.state != LetterState.PUBLISHED:
        raise DomainError(N_("该信件未公开。"))
    if not reason.strip():
        raise DomainError(N_("请写明撤回的原因。"))
    letter.state = LetterState.WITHDRAWN.value
    _log(letter, actor, "withdrawn", now, note=reason)
    db.session.commit()
    return letter
