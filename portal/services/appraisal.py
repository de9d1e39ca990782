"""Running a questionnaire: building it, inviting people, taking answers, publishing results."""

import csv
import io
import secrets

from sqlalchemy import select

from models import (
    Answer,
    DomainError,
    Group,
    Invitation,
    Questionnaire,
    Response,
    Topic,
    Unit,
    db,
)
from models.appraisal import INVITED_GROUPS, Scale, claim_invitation
from models.i18n import N_
from models.questionnaire_draft import discard_draft, keep_draft
from portal.services import intake
from portal.services.clock import local_date
from portal.services.transaction import rolls_back

CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"


@rolls_back
def create_questionnaire(*, campaign, title, intro, unit_ids, weights, min_answers,
                         public_link):
    if not unit_ids:
        raise DomainError(N_("请至少选择一个科室。"))
    units = db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids))).all()
    q = Questionnaire(
        campaign_id=campaign.id, title=title, intro=intro, units=units,
        weight_satisfied=weights[0], weight_basically=weights[1], weight_unsatisfied=weights[2],
        min_answers=min_answers, public_token=secrets.token_urlsafe(12) if public_link else None,
    )
    db.session.add(q)
    db.session.commit()
    return q


@rolls_back
def set_state(*, questionnaire, is_open=None, publish=None):
    """Open or close answering; publish or withdraw the results on the public pages."""
    if is_open is not None:
        questionnaire.is_open = is_open
    if publish is not None:
        questionnaire.results_published = publish
    db.session.commit()
    return questionnaire


def _new_code():
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        if db.session.scalar(select(Invitation.id).where(Invitation.code == code)) is None:
            return code


@rolls_back
def invite(*, questionnaire, name, group, organisation=""):
    if Group(group) not in INVITED_GROUPS:
        raise DomainError(N_("邀请对象应为评议代表或行风监督员。"))
    invitation = Invitation(questionnaire_id=questionnaire.id, name=name, group=group,
                            organisation=organisation, code=_new_code(),
                            token=secrets.token_urlsafe(16))
    db.session.add(invitation)
    db.session.commit()
    return invitation


GROUP_WORDS = {"评议代表": Group.REPRESENTATIVE, "representative": Group.REPRESENTATIVE,
               "行风监督员": Group.SUPERVISOR, "supervisor": Group.SUPERVISOR}


def parse_invitation_csv(text):
    """Rows of name, group (评议代表/行风监督员), organisation; returns (rows, errors by line)."""
    rows, errors = [], []
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    for number, record in enumerate(reader, start=1):
        if not record or not any(cell.strip() for cell in record):
            continue
        cells = [c.strip() for c in record] + ["", ""]
        name, group_word, organisation = cells[0], cells[1], cells[2]
        if number == 1 and name in ("姓名", "name"):
            continue
        group = GROUP_WORDS.get(group_word)
        if not name or len(name) > 50 or group is None or len(organisation) > 100:
            errors.append(number)
            continue
        rows.append((name, group.value, organisation))
    return rows, errors


@rolls_back
def import_invitations(*, questionnaire, text):
    """All rows or none: a file with a bad line invites nobody and says which lines."""
    rows, errors = parse_invitation_csv(text)
    if errors:
        raise DomainError(N_("第 %(lines)s 行有误（需要：姓名, 评议代表或行风监督员, 单位）。"),
                          lines=", ".join(map(str, errors[:20])))
    if not rows:
        raise DomainError(N_("文件中没有可导入的行。"))
    made = [Invitation(questionnaire_id=questionnaire.id, name=n, group=g, organisation=o,
                       code=_new_code(), token=secrets.token_urlsafe(16)) for n, g, o in rows]
    db.session.add_all(made)
    db.session.commit()
    return made


ALREADY_USED = N_("这份邀请已经答过问卷，每份邀请只能答一次。")
CLOSED = N_("问卷未开放或已结束。")


@rolls_back
def save_draft(*, invitation, answers, now):
    """Keep a half-filled questionnaire under its invitation until it is submitted."""
    if invitation.used:
        raise DomainError(ALREADY_USED)
    if not invitation.questionnaire.is_open:
        raise DomainError(CLOSED)
    keep_draft(invitation.id, answers, now)
    db.session.commit()


@rolls_back
def submit_response(*, questionnaire, invitation, group, ratings, opinions, now):
    """Store one filled questionnaire and turn each opinion into a case for its unit.

    ``ratings`` maps (unit_id, topic_id or None) to a Scale value; ``opinions`` maps unit_id to
    (text, topic_id or None). Returns [(unit, case number, query code)] for the opinions. The
    invitation's draft goes in the same transaction: afterwards nothing links it to answers.
    """
    if not questionnaire.is_open:
        raise DomainError(CLOSED)
    units = {u.id: u for u in questionnaire.units}
    if any(unit_id not in units for unit_id, _topic in ratings) or any(
            unit_id not in units for unit_id in opinions):
        raise DomainError(N_("问卷内容有误。"))
    if invitation is not None and not claim_invitation(invitation.id):
        db.session.rollback()
        raise DomainError(ALREADY_USED)
    if invitation is not None:
        discard_draft(invitation.id)
    response = Response(questionnaire_id=questionnaire.id, group=Group(group).value,
                        submitted_on=local_date(now))
    db.session.add(response)
    db.session.add_all(Answer(response=response, unit_id=u, topic_id=t, value=Scale(v).value)
                       for (u, t), v in ratings.items())
    receipts = []
    for unit_id, (text, topic_id) in opinions.items():
        if text.strip():
            topic = db.session.get(Topic, topic_id) if topic_id else None
            case, code = intake.opinion_case(units[unit_id], text, now, topic=topic)
            receipts.append((units[unit_id], case.number, code))
    db.session.commit()
    return receipts


@rolls_back
def set_item_weights(*, questionnaire, weights):
    """``weights`` maps None (the overall rating) or a topic id to a whole number >= 0."""
    if not any(weights.values()):
        raise DomainError(N_("至少一项的权重应大于 0。"))
    questionnaire.item_weights = {("all" if k is None else str(k)): int(v)
                                  for k, v in weights.items()}
    db.session.commit()


def all_questionnaires():
    return db.session.scalars(select(Questionnaire).order_by(Questionnaire.id.desc())).all()
