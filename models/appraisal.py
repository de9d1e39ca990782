"""Appraisal questionnaires: who is invited, what they answered (never who answered what), and
how the answers add up."""

import secrets
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    func,
    select,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import db
from models.i18n import N_


class Group(StrEnum):
    REPRESENTATIVE = "representative"
    SUPERVISOR = "supervisor"
    RECIPIENT = "service_recipient"
    PUBLIC = "public"


GROUP_LABELS = {
    Group.REPRESENTATIVE: N_("评议代表"),
    Group.SUPERVISOR: N_("行风监督员"),
    Group.RECIPIENT: N_("服务对象"),
    Group.PUBLIC: N_("社会公众"),
}
INVITED_GROUPS = (Group.REPRESENTATIVE, Group.SUPERVISOR)
PUBLIC_GROUPS = (Group.RECIPIENT, Group.PUBLIC)


class Scale(StrEnum):
    SATISFIED = "satisfied"
    BASICALLY = "basically_satisfied"
    UNSATISFIED = "unsatisfied"
    DONT_KNOW = "dont_know"


SCALE_LABELS = {
    Scale.SATISFIED: N_("满意"),
    Scale.BASICALLY: N_("基本满意"),
    Scale.UNSATISFIED: N_("不满意"),
    Scale.DONT_KNOW: N_("不了解"),
}

questionnaire_unit = Table(
    "questionnaire_unit",
    db.metadata,
    Column("questionnaire_id", ForeignKey("questionnaire.id"), primary_key=True),
    Column("unit_id", ForeignKey("unit.id"), primary_key=True),
)


class Questionnaire(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    is_open: Mapped[bool] = mapped_column(Boolean, default=False)
    results_published: Mapped[bool] = mapped_column(Boolean, default=False)
    # Points per answer for the weighted score (the plan's common 100 / 80 / 0).
    weight_satisfied: Mapped[int] = mapped_column(Integer, default=100)
    weight_basically: Mapped[int] = mapped_column(Integer, default=80)
    weight_unsatisfied: Mapped[int] = mapped_column(Integer, default=0)
    # Results of a unit with fewer answers are withheld: too few to mean anything, and too few
    # to keep answers anonymous.
    min_answers: Mapped[int] = mapped_column(Integer, default=5)
    # Weight of each rated item in the composite score that ranks the units: "all" for the
    # overall rating, a topic's id (as text) for that topic. None: the documented default.
    item_weights: Mapped[dict | None] = mapped_column(JSON)
    public_token: Mapped[str | None] = mapped_column(String(32), unique=True)

    campaign = relationship("Campaign")
    units = relationship("Unit", secondary=questionnaire_unit, order_by="Unit.position")


class Invitation(db.Model):
    """One person's right to answer once. Holds no link to the answers given."""

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    group: Mapped[str] = mapped_column(String(20))
    organisation: Mapped[str] = mapped_column(String(100), default="")
    code: Mapped[str] = mapped_column(String(12), unique=True)  # short code for paper letters
    token: Mapped[str] = mapped_column(String(32), unique=True)  # in the personal link
    used: Mapped[bool] = mapped_column(Boolean, default=False)  # no time: it would link answers

    questionnaire = relationship("Questionnaire")


class Response(db.Model):
    """One filled questionnaire: a random id, the group and the day, and nothing else about
    who filled it."""

    id: Mapped[str] = mapped_column(String(32), primary_key=True,
                                    default=lambda: secrets.token_hex(16))
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id"), index=True)
    group: Mapped[str] = mapped_column(String(20))
    submitted_on: Mapped[date] = mapped_column(Date)


class Answer(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[str] = mapped_column(ForeignKey("response.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id"))  # None: overall rating
    value: Mapped[str] = mapped_column(String(20))

    response = relationship("Response")


@dataclass(frozen=True)
class Tally:
    """Counts of one unit (and one topic, or overall) and the figures derived from them."""

    satisfied: int = 0
    basically: int = 0
    unsatisfied: int = 0
    dont_know: int = 0

    @property
    def answers(self):
        return self.satisfied + self.basically + self.unsatisfied + self.dont_know

    @property
    def rated(self):
        return self.answers - self.dont_know

    def satisfaction_rate(self):
        """(satisfied + basically satisfied) / (answers - don't know); None without ratings."""
        return (self.satisfied + self.basically) / self.rated if self.rated else None

    def weighted_score(self, weights):
        """Mean points per rated answer with weights (satisfied, basically, unsatisfied)."""
        if not self.rated:
            return None
        ws, wb, wu = weights
        return (self.satisfied * ws + self.basically * wb + self.unsatisfied * wu) / self.rated


def tallies(questionnaire_id):
    """{(unit_id, topic_id or None): Tally} from the stored answers, in one query."""
    stmt = (
        select(Answer.unit_id, Answer.topic_id, Answer.value, func.count())
        .join(Response, Response.id == Answer.response_id)
        .where(Response.questionnaire_id == questionnaire_id)
        .group_by(Answer.unit_id, Answer.topic_id, Answer.value)
    )
    counts = {}
    for unit_id, topic_id, value, n in db.session.execute(stmt):
        counts.setdefault((unit_id, topic_id), {})[value] = n
    return {
        key: Tally(
            satisfied=c.get(Scale.SATISFIED.value, 0),
            basically=c.get(Scale.BASICALLY.value, 0),
            unsatisfied=c.get(Scale.UNSATISFIED.value, 0),
            dont_know=c.get(Scale.DONT_KNOW.value, 0),
        )
        for key, c in counts.items()
    }


def responses_count(questionnaire_id):
    stmt = select(func.count()).select_from(Response).where(
        Response.questionnaire_id == questionnaire_id)
    return db.session.scalar(stmt)


def find_invitation(code_or_token):
    text = (code_or_token or "").strip()
    stmt = select(Invitation).where(
        (Invitation.token == text) | (Invitation.code == text.upper().replace("-", "")))
    return db.session.scalars(stmt).first()


def claim_invitation(invitation_id):
    """Mark the invitation used in the caller's transaction; False if it already was.

    The conditional UPDATE is the claim: of simultaneous answers one matches the unused row,
    the others wait for its row lock (PostgreSQL) or the write lock (SQLite) and then match
    nothing, so a copy of the invitation loaded earlier by the request cannot let it through.
    """
    claim = (update(Invitation)
             .where(Invitation.id == invitation_id, Invitation.used.is_(False))
             .values(used=True)
             .execution_options(synchronize_session="evaluate"))
    return db.session.execute(claim).rowcount == 1


@dataclass(frozen=True)
class UnitResult:
    unit_id: int
    unit_name: str
    overall: Tally
    by_topic: dict  # topic id -> Tally
    shown: bool  # enough answers to show
    rate: float | None
    score: float | None
    rank: int | None = None
    unit_name_en: str = ""

    def display_name(self, lang):
        return self.unit_name_en if lang == "en" and self.unit_name_en else self.unit_name


def item_weights(questionnaire, topics):
    """{None (overall) or topic id: weight}. By default the overall rating weighs as much as
    all topics together (one each): a unit is judged half on the overall impression and half
    on the parts."""
    given = questionnaire.item_weights
    if given is None:
        return {None: max(len(topics), 1)} | {t.id: 1 for t in topics}
    return {None: int(given.get("all", 0))} | {t.id: int(given.get(str(t.id), 0)) for t in topics}


def composite_score(tallies_by_item, weights, scale_weights):
    """Weighted mean of the items' scores over the items with at least one rating (an item
    nobody rated, or rated only 不了解, neither helps nor hurts); None when none is rated."""
    rated = [(weights[item], tally.weighted_score(scale_weights))
             for item, tally in tallies_by_item.items() if tally.rated and weights.get(item)]
    total = sum(w for w, _score in rated)
    return sum(w * s for w, s in rated) / total if total else None


def results_table(questionnaire, units, topics, counts):
    """One row per unit: the overall tally decides the rate and whether the unit is shown,
    the composite score over every rated item decides the rank; units under the minimum number
    of answers are listed but their figures withheld and unranked."""
    scale_weights = (questionnaire.weight_satisfied, questionnaire.weight_basically,
                     questionnaire.weight_unsatisfied)
    weights = item_weights(questionnaire, topics)
    rows = []
    for unit in units:
        overall = counts.get((unit.id, None), Tally())
        by_topic = {t.id: counts.get((unit.id, t.id), Tally()) for t in topics}
        shown = overall.answers >= questionnaire.min_answers
        rows.append(UnitResult(
            unit_id=unit.id, unit_name=unit.name, unit_name_en=unit.name_en, overall=overall,
            by_topic=by_topic, shown=shown,
            rate=overall.satisfaction_rate() if shown else None,
            score=composite_score({None: overall} | by_topic, weights, scale_weights)
            if shown else None,
        ))
    ranked = sorted((r for r in rows if r.score is not None), key=lambda r: -r.score)
    ranks, previous, position = {}, None, 0
    for index, row in enumerate(ranked, start=1):
        if row.score != previous:
            position, previous = index, row.score
        ranks[row.unit_id] = position  # equal scores share a rank
    return sorted(
        (UnitResult(**{**r.__dict__, "rank": ranks.get(r.unit_id)}) for r in rows),
        key=lambda r: (r.rank is None, r.rank or 0, r.unit_name),
    )
