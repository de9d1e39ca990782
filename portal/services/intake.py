"""Filing a case and finding it again by number and query code."""

import hashlib
import hmac
import logging
import secrets
from functools import partial

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import (
    Attachment,
    Case,
    Channel,
    FieldError,
    Role,
    Status,
    db,
    find_by_number,
    next_number,
    write_new,
)
from models.i18n import N_
from models.typed_codes import normalize_code, normalize_number
from portal.abuse import held_files, uploads
from portal.services import handling, mail_bodies
from portal.services.clock import deadline_policy, local_date
from portal.services.transaction import rolls_back

log = logging.getLogger(__name__)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


def _code_for_key(submission_key):
    """The query code of a web filing is derived from its one-time form key, so a repeated
    submission of the same form can show the same receipt without the code being stored."""
    if not submission_key:
        return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    mac = hmac.new(current_app.config["SECRET_KEY"].encode(), digestmod=hashlib.sha256)
    mac.update(b"query-code|" + submission_key.encode())
    raw = mac.digest()
    return "".join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in raw[:CODE_LENGTH])


class Filed(tuple):
    """(case, query code), as callers unpack it, and ``repeat``: whether this form key had
    been filed before, so the answer is the first filing's receipt."""

    def __new__(cls, case, code, repeat=False):
        filed = super().__new__(cls, (case, code))
        filed.repeat = repeat
        return filed


def find_submission(submission_key):
    """The case already filed with this form key, with its code; (None, None) if none."""
    if not submission_key:
        return None, None
    stmt = select(Case).where(Case.submission_key_hash == _digest(submission_key))
    case = db.session.scalars(stmt).first()
    if case is None:
        return None, None
    code = _code_for_key(submission_key)
    return case, code if hmac.compare_digest(_digest(code), case.query_code_hash) else None


def _new_case(fields, submission_key, actor, now, note="", received_on=None):
    """A new case with its code and the first line of its history (who brought it in: a
    citizen, or staff typing in a call or a letter), not yet numbered nor in the session.
    Its clocks count from ``received_on`` (a letter's date of receipt, typed in by staff),
    else from today."""
    received_on = received_on or local_date(now)
    code = _code_for_key(submission_key)
    case = Case(
        query_code_hash=_digest(code),
        submission_key_hash=_digest(submission_key) if submission_key else None,
        status=Status.SUBMITTED.value,
        **fields,
    )
    case.file(policy=deadline_policy(), received_on=received_on, actor=actor, note=note, at=now)
    return case, code


@rolls_back
def file_case(*, fields, attachments=(), submission_key=None, actor=None, note="",
              received_on=None, then=None, now):
    """Record a new case with its attachments and first event; return (case, query code).

    ``fields`` holds the case's own columns (kind, channel, title, content, contact, ...);
    ``note`` is the internal note of the first event (the partner of an API filing).
    A repeated ``submission_key`` returns the first case instead of a duplicate. Files held
    for the key from earlier tries of the form come first, then ``attachments``. ``then`` is a
    further step of the same use case run on the new case before the one commit (staff entry
    accepts and assigns there); if it refuses, nothing is filed.
    """
    session = db.session()
    # The case's own statement commits by itself only when nothing else is to be committed
    # with it: no step after it, and nothing the caller began in the session before (a
    # finding's claim, which must not be kept without its case nor the case without it).
    alone = then is None and not session.in_transaction()
    durable = False  # whether the case is stored whatever happens next
    folder = current_app.config["UPLOAD_FOLDER"]
    attachments = [*held_files.load(submission_key, now), *attachments]
    stored = [uploads.store(folder, item) for item in attachments]
    try:
        case, code = _new_case(fields, submission_key, actor, now, note, received_on)
        # Assigned, even when empty, so that the receipt does not load the list back.
        case.attachments = [
            Attachment(stored_name=name, original_name=item.original_name, mime=item.mime,
                       size=len(item.data))
            for item, name in zip(attachments, stored, strict=True)
        ]
        # The number belongs to the year the case is registered in.
        durable = write_new(case, year=local_date(now).year,
                            prefix=current_app.config["CASE_NUMBER_PREFIX"], alone=alone)
        if then is not None:
            then(case)
        # What was just written is what the receipt and the log line show: keeping it loaded
        # saves reading the case and its attachments back after the commit.
        session.expire_on_commit = False
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if not durable:
            uploads.remove(folder, stored)
        existing, code = find_submission(submission_key)
        if existing is None:
            raise
        held_files.clear(submission_key)
        return Filed(existing, code, repeat=True)
    except Exception:
        db.session.rollback()
        if not durable:  # a stored case keeps its files though the answer fails
            uploads.remove(folder, stored)
        raise
    finally:
        session.expire_on_commit = True
    held_files.clear(submission_key)
    log.info("case filed number=%s channel=%s", case.number, fields.get("channel", Channel.WEB))
    return Filed(case, code)


def held_attachments(submission_key, remove, now):
    """The files held for a form key, after removing those the citizen ticked."""
    if not submission_key:
        return []
    held_files.drop(submission_key, remove, now)
    return held_files.listing(submission_key, now)


def hold_attachments(submission_key, prepared, now):
    """Keep the checked files of a form that came back with errors; returns all held."""
    if not submission_key:
        return []
    if not prepared:
        return held_files.listing(submission_key, now)
    return held_files.add(submission_key, prepared, now)


def opinion_case(unit, text, now, topic=None):
    """A questionnaire opinion as a case, accepted and assigned to its unit at once so that it
    is answered like any other; added to the caller's transaction, not committed. Its title
    names the section and the topic it was given under, so the unit sees what it is about."""
    about = f"{unit.name}·{topic.name}" if topic is not None else unit.name
    fields = {"kind": "suggestion", "channel": Channel.QUESTIONNAIRE.value,
              "title": f"问卷意见：{about}"[:50],
              "content": text, "target_unit_id": unit.id}
    case, code = _new_case(fields, None, None, now)
    case.number = next_number(local_date(now).year, current_app.config["CASE_NUMBER_PREFIX"])
    db.session.add(case)
    case.accept(policy=deadline_policy(), role=Role.SYSTEM, unit=unit, at=now)
    mail_bodies.assigned(case, now)
    return case, code


def verify_lookup(number, code):
    """The case when number and code match, else None; the same work whether or not the
    number exists, so the answer tells nothing about which numbers are taken."""
    case = find_by_number(normalize_number(number))
    expected = case.query_code_hash if case else _digest(secrets.token_hex(8))
    matched = hmac.compare_digest(_digest(normalize_code(code)), expected)
    return case if case is not None and matched else None


@rolls_back
def enter_case(*, fields, received_on, accept=False, unit_id=None, attachments=(),
               submission_key=None, actor, now):
    """Staff register a call, letter, forum, visit or inspection finding (登记).

    The clocks count from ``received_on`` (a letter's postmark or receipt date; today if None),
    which may not be in the future. With ``accept`` the office accepts it in the same step, and assigns it
    to ``unit_id`` if given, by the same rules as the case page (a report never goes to the
    unit it accuses); a refusal files nothing.
    """
    if received_on is not None and received_on > local_date(now):
        raise FieldError(N_("收到日期不能晚于今天。"), "received_on")
    if unit_id and not accept:
        raise FieldError(N_("交办前须先受理：请勾选“同时受理”。"), "accept")
    then = partial(handling.accept, actor=actor, unit_id=unit_id, now=now) if accept else None
    return file_case(fields=fields, attachments=attachments, submission_key=submission_key,
                     actor=actor, received_on=received_on, then=then, now=now)
