"""Exact values for the figures computed in the database: questionnaire tallies and look-ups,
and a unit's questionnaire and ledger figures (its case figures and the public statistics are
in test_case_figures_direct.py). Each expected value is worked out by hand from the rows the
test writes; `make mutants` runs these too."""

from datetime import date

import pytest
from sqlalchemy import delete

from models import (
    Answer,
    Campaign,
    Invitation,
    Problem,
    Questionnaire,
    Response,
    Topic,
    db,
)
from models.appraisal import Tally, find_invitation, responses_count, tallies
from models.report_figures import (
    problem_figures,
    questionnaire_figures,
    unit_figures,
)
from portal.services import handling
from tests.appconfig import empty_tables
from tests.factories import NOW, make_case, staff, unit

S, B, U, D = "satisfied", "basically_satisfied", "unsatisfied", "dont_know"


@pytest.fixture(autouse=True)
def _no_extra_reference_rows(app):
    """Campaigns and topics are reference data the suite keeps between tests: remove the ones
    made here, whether or not a service committed them."""
    yield
    with app.app_context():
        empty_tables()  # the rows that refer to them first
        db.session.execute(delete(Campaign).where(Campaign.year >= 2031))
        db.session.execute(delete(Topic).where(Topic.code.in_(["t-queue", "t-manner"])))
        db.session.commit()


def _campaign(year=2031):
    campaign = Campaign(year=year, title=f"{year}年度", starts_on=date(year, 6, 1),
                        ends_on=date(year, 9, 30), report_due_on=date(year, 9, 20))
    db.session.add(campaign)
    db.session.flush()
    return campaign


def _questionnaire(campaign, title="问卷", **settings):
    q = Questionnaire(campaign_id=campaign.id, title=title, **settings)
    db.session.add(q)
    db.session.flush()
    return q


def _topics():
    first = Topic(code="t-queue", name="排队", name_en="Queues", position=90)
    second = Topic(code="t-manner", name="态度", name_en="Manner", position=91)
    db.session.add_all([first, second])
    db.session.flush()
    return first, second


def _response(q, answers, group="representative"):
    """One filled questionnaire; ``answers`` lists (unit id, topic id or None, value)."""
    response = Response(questionnaire_id=q.id, group=group, submitted_on=date(2031, 7, 1))
    db.session.add(response)
    db.session.flush()
    db.session.add_all(Answer(response_id=response.id, unit_id=u, topic_id=t, value=v)
                       for u, t, v in answers)
    db.session.flush()
    return response


# --- questionnaire tallies and look-ups -----------------------------------------------------

def test_tallies_count_each_value_per_unit_and_topic_of_one_questionnaire(ctx):
    land, comp = unit("land").id, unit("compilation").id
    queue, _ = _topics()
    campaign = _campaign()
    q, other = _questionnaire(campaign), _questionnaire(campaign, "另一份")
    _response(q, [(land, None, S), (land, queue.id, B), (comp, None, U)])
    _response(q, [(land, None, S), (land, queue.id, D), (comp, None, D)])
    _response(q, [(land, None, B), (land, queue.id, U)])
    _response(other, [(land, None, U), (comp, None, S)])  # another questionnaire: not counted

    assert tallies(q.id) == {
        (land, None): Tally(satisfied=2, basically=1, unsatisfied=0, dont_know=0),
        (land, queue.id): Tally(satisfied=0, basically=1, unsatisfied=1, dont_know=1),
        (comp, None): Tally(satisfied=0, basically=0, unsatisfied=1, dont_know=1),
    }
    assert tallies(other.id) == {
        (land, None): Tally(unsatisfied=1),
        (comp, None): Tally(satisfied=1),
    }
    assert tallies(other.id + 100) == {}


def test_responses_count_per_questionnaire(ctx):
    land = unit("land").id
    campaign = _campaign()
    q, other, empty = (_questionnaire(campaign, t) for t in ("一", "二", "三"))
    for _ in range(3):
        _response(q, [(land, None, S)])
    _response(other, [(land, None, U)])
    assert (responses_count(q.id), responses_count(other.id), responses_count(empty.id)) == (3, 1, 0)


def test_find_invitation_by_token_exactly_or_by_code_as_typed_on_paper(ctx):
    q = _questionnaire(_campaign())
    first = Invitation(questionnaire_id=q.id, name="李四", group="representative",
                       code="ABCD2345", token="a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6")
    second = Invitation(questionnaire_id=q.id, name="王五", group="supervisor",
                        code="WXYZ6789", token="0f0e0d0c0b0a09080706050403020100")
    db.session.add_all([first, second])
    db.session.flush()

    assert find_invitation("a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6") is first
    assert find_invitation("  0f0e0d0c0b0a09080706050403020100\n") is second
    assert find_invitation("ABCD2345") is first
    assert find_invitation(" abcd-2345 ") is first  # lower case and a dash, as typed from paper
    assert find_invitation("wxyz-6789") is second
    # A token is matched as given: upper-cased it is another string.
    assert find_invitation("A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6") is None
    assert find_invitation("ABCD2346") is None
    assert find_invitation("") is None
    assert find_invitation(None) is None


def test_claim_invitation_once_then_never_again(ctx):
    from models.appraisal import claim_invitation

    q = _questionnaire(_campaign())
    first = Invitation(questionnaire_id=q.id, name="李四", group="representative",
                       code="ABCD2345", token="a" * 32)
    other = Invitation(questionnaire_id=q.id, name="王五", group="representative",
                       code="WXYZ6789", token="b" * 32)
    db.session.add_all([first, other])
    db.session.flush()
    assert claim_invitation(first.id) is True
    assert first.used is True and other.used is False
    assert claim_invitation(first.id) is False
    assert claim_invitation(other.id) is True
    assert claim_invitation(other.id + 100) is False


def test_unit_result_names_the_unit_in_the_page_language():
    from models.appraisal import UnitResult

    row = UnitResult(unit_id=1, unit_name="用地规划科", overall=Tally(), by_topic={}, shown=False,
                     rate=None, score=None, unit_name_en="Land-use Planning Section")
    assert (row.display_name("zh"), row.display_name("en")) == (
        "用地规划科", "Land-use Planning Section")
    bare = UnitResult(unit_id=2, unit_name="编研科", overall=Tally(), by_topic={}, shown=False,
                      rate=None, score=None)
    assert bare.display_name("en") == "编研科"  # no English name given: the Chinese one


def test_item_weights_left_out_by_the_office_weigh_nothing():
    from types import SimpleNamespace

    from models.appraisal import item_weights

    topics = [SimpleNamespace(id=7), SimpleNamespace(id=9)]
    assert item_weights(SimpleNamespace(item_weights={"7": 2}), topics) == {None: 0, 7: 2, 9: 0}
    assert item_weights(SimpleNamespace(item_weights={"all": 3}), topics) == {None: 3, 7: 0, 9: 0}


# --- a unit's questionnaire and ledger figures ----------------------------------------------

def test_questionnaire_figures_per_topic_and_overall_withheld_below_the_minimum(ctx):
    land, comp = unit("land").id, unit("compilation").id
    queue, manner = _topics()
    campaign = _campaign()
    first = _questionnaire(campaign, "代表问卷", min_answers=3, weight_satisfied=100,
                           weight_basically=60, weight_unsatisfied=10)
    second = _questionnaire(campaign, "监督员问卷", min_answers=2)  # weights 100 / 80 / 0
    _questionnaire(_campaign(2032), "别年的问卷")  # another campaign: not listed
    # First questionnaire, land: overall S, S, B, U; queue S, D, D (three answers, one rated);
    # manner S, B (two answers: under the minimum of three).
    _response(first, [(land, None, S), (land, queue.id, S), (land, manner.id, S)])
    _response(first, [(land, None, S), (land, queue.id, D), (land, manner.id, B)])
    _response(first, [(land, None, B), (land, queue.id, D)])
    _response(first, [(land, None, U), (comp, None, U)])
    # Second questionnaire, land: overall D, D (enough answers, none rated); queue B, U.
    _response(second, [(land, None, D), (land, queue.id, B)])
    _response(second, [(land, None, D), (land, queue.id, U), (comp, None, S)])

    assert questionnaire_figures(campaign.id, land, [queue, manner]) == [
        {"title": "代表问卷", "rows": [
            # 1 rated of 3 answers: rate 1/1, score 100.
            {"topic": "排队", "answers": 3, "rate": 100.0, "score": 100.0},
            {"topic": "态度", "answers": 2, "rate": None, "score": None},
            # (2 + 1) / 4 = 75 %; (2*100 + 60 + 10) / 4 = 67.5.
            {"topic": None, "answers": 4, "rate": 75.0, "score": 67.5},
        ]},
        {"title": "监督员问卷", "rows": [
            # B and U: rate 1/2; score (80 + 0) / 2 = 40.
            {"topic": "排队", "answers": 2, "rate": 50.0, "score": 40.0},
            {"topic": "态度", "answers": 0, "rate": None, "score": None},
            {"topic": None, "answers": 2, "rate": None, "score": None},  # only 不了解
        ]},
    ]
    # Rounded to one decimal: S, U, S is 2 of 3 = 66.7 %, (100 + 0 + 100) / 3 = 66.7.
    _response(second, [(comp, None, U)])
    assert questionnaire_figures(campaign.id, comp, [])[1]["rows"] == [
        {"topic": None, "answers": 2, "rate": 50.0, "score": 50.0}]
    _response(second, [(comp, None, S)])
    assert questionnaire_figures(campaign.id, comp, []) == [
        {"title": "代表问卷", "rows": [{"topic": None, "answers": 1, "rate": None, "score": None}]},
        {"title": "监督员问卷", "rows": [
            {"topic": None, "answers": 3, "rate": 66.7, "score": 66.7}]},
    ]


def _problem(campaign, unit_id, committed_on, progress="not_started"):
    row = Problem(unit_id=unit_id, campaign_id=campaign.id, source="case", description="问题",
                  measures="措施", responsible="负责人", committed_on=committed_on,
                  progress=progress, created_at=NOW)
    db.session.add(row)
    return row


def test_problem_figures_count_progress_and_overdue_on_the_day(ctx):
    land, comp = unit("land").id, unit("compilation").id
    campaign, later = _campaign(), _campaign(2032)
    _problem(campaign, land, date(2031, 8, 1))  # past its date: overdue
    _problem(campaign, land, date(2031, 8, 10), "in_progress")  # due on the day: not overdue
    _problem(campaign, land, date(2031, 8, 11), "partly")
    _problem(campaign, land, date(2031, 7, 1), "done")  # done: never overdue
    _problem(campaign, land, date(2031, 7, 2), "partly")  # overdue
    _problem(campaign, comp, date(2031, 7, 1))  # another unit
    _problem(later, land, date(2031, 7, 1))  # another campaign
    db.session.flush()

    assert problem_figures(campaign.id, land, date(2031, 8, 10)) == {
        "total": 5,
        "by_progress": {"not_started": 1, "in_progress": 1, "partly": 2, "done": 1,
                        "not_ripe": 0},
        "overdue": 2,
    }
    assert problem_figures(campaign.id, land, date(2031, 8, 11))["overdue"] == 3
    assert problem_figures(later.id, comp, date(2031, 8, 11)) == {
        "total": 0,
        "by_progress": {"not_started": 0, "in_progress": 0, "partly": 0, "done": 0,
                        "not_ripe": 0},
        "overdue": 0,
    }


def test_unit_figures_put_the_period_cases_answers_and_ledger_together(ctx):
    from models import WorkCalendar

    land = unit("land").id
    campaign = db.session.get(Campaign, _demo_campaign_id())
    queue, _ = _topics()
    q = _questionnaire(campaign, "代表问卷", min_answers=1)
    _response(q, [(land, None, S)])
    _problem(campaign, land, date(2026, 7, 5))
    make_case()  # filed for land, not yet accepted: no unit, so no figures of land's
    assigned, _ = make_case(kind="consultation", channel="phone")
    handling.accept_case(assigned, actor=staff("office"), unit_id=land, now=NOW)
    figures = unit_figures(land, campaign, [queue], WorkCalendar({}), date(2026, 7, 10))
    assert figures == {
        "period": ["2026-01-01", "2026-07-10"],
        # The assigned consultation only; due 5 working days after 1 July, on 8 July: overdue
        # on the 10th.
        "cases": {"total": 1,
                  "by_kind": {"complaint": 0, "report": 0, "suggestion": 0, "consultation": 1,
                              "praise": 0},
                  "by_channel": {"web": 0, "phone": 1, "letter": 0, "forum": 0, "visit": 0,
                                 "questionnaire": 0, "inspection": 0, "api": 0},
                  "replied": 0, "replied_on_time": 0, "unanswered": 1, "overdue": 1,
                  "avg_working_days": None,
                  "ratings": {"satisfied": 0, "basically_satisfied": 0, "unsatisfied": 0,
                              "none": 0}},
        "questionnaires": [{"title": "代表问卷", "rows": [
            {"topic": "排队", "answers": 0, "rate": None, "score": None},
            {"topic": None, "answers": 1, "rate": 100.0, "score": 100.0},
        ]}],
        "problems": {"total": 1, "overdue": 1,
                     "by_progress": {"not_started": 1, "in_progress": 0, "partly": 0, "done": 0,
                                     "not_ripe": 0}},
    }


def _demo_campaign_id():
    from sqlalchemy import select

    return db.session.scalars(select(Campaign.id).where(Campaign.year == 2026)).one()
