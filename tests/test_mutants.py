"""Exact values for the rule modules that `make mutants` mutates (workflow labels and history,
working days, questionnaire scoring, report figures), each worked out by hand."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from models import DomainError, InvalidTransition, WorkCalendar
from models.appraisal import Tally, composite_score, item_weights, results_table
from models.report_figures import _counter, case_figures, period_of
from models.workflow import allowed_next, check_move, citizen_history, citizen_label, event_label
from portal.services import handling, rating
from tests.factories import NOW, make_case, morning_of, staff, unit

CAL = WorkCalendar({})


# --- workflow -------------------------------------------------------------------------------

@pytest.mark.parametrize("status, label", [
    ("submitted", "已收到，等待受理"),
    ("not_accepted", "不予受理（见说明）"),
    ("replied", "已答复，欢迎评价"),
    ("rated", "已评价"),
    ("closed", "已办结"),
    ("accepted", "已受理，正在办理"),
    ("reply_approved", "已受理，正在办理"),
    ("reopened", "已受理，正在办理"),
])
def test_citizen_labels(status, label):
    assert str(citizen_label(status)) == label


def _event(action, to_status, public_note="", at=1):
    return SimpleNamespace(action=action, to_status=to_status, public_note=public_note, at=at)


def test_citizen_history_shows_changes_of_plain_status_and_public_notes_only():
    events = [
        _event("submitted", "submitted", at=1),
        _event("accepted", "accepted", at=2),
        _event("assigned", "assigned", at=3),  # same plain label as accepted: hidden
        _event("note", "assigned", at=4),  # internal note, no public text: hidden
        _event("extended", "assigned", "需要现场核实", at=5),  # same label, public note: shown
        _event("replied", "replied", at=6),
        _event("rated:satisfied", "rated", at=7),
    ]
    assert [(at, str(label), note) for at, label, note in citizen_history(events)] == [
        (1, "已提交", ""),
        (2, "已受理，正在办理", ""),
        (5, "已受理，正在办理", "需要现场核实"),
        (6, "已答复，欢迎评价", ""),
        (7, "已评价", ""),
    ]


def test_citizen_history_of_a_refusal():
    events = [_event("submitted", "submitted", at=1),
              _event("not_accepted", "not_accepted", "不属于本局职责", at=2)]
    assert [(at, str(label), note) for at, label, note in citizen_history(events)] == [
        (1, "已提交", ""), (2, "不予受理（见说明）", "不属于本局职责")]


@pytest.mark.parametrize("action, to_status, label", [
    ("submitted", "submitted", "登记"),
    ("sent_back", "in_progress", "退回修改答复"),
    ("closed_unrated", "closed", "评价期满未评价，办结"),
    ("rated:unsatisfied", "rated", "群众评价：不满意"),
    ("in_progress", "in_progress", "办理中"),
    ("closed", "closed", "已办结"),
    ("reply_approved", "reply_approved", "答复已审核"),
])
def test_event_labels(action, to_status, label):
    assert str(event_label(_event(action, to_status))) == label


def test_check_move_names_the_refused_move():
    with pytest.raises(InvalidTransition) as refused:
        check_move("submitted", "closed", "office")
    assert str(refused.value) == "不能从 submitted 转为 closed（角色：office）。"
    assert refused.value.params == {"from_status": "submitted", "to_status": "closed",
                                    "role": "office"}


def test_allowed_next_in_the_order_of_the_procedure():
    assert allowed_next("assigned", "handler") == ["signed", "returned"]
    assert allowed_next("reply_drafted", "leader") == ["reply_approved", "in_progress"]
    assert allowed_next("rated", "office") == ["closed", "reopened"]
    assert allowed_next("replied", "system") == ["closed"]


def test_deadline_mark_boundaries():
    from models.deadlines import deadline_mark

    today, soon = date(2026, 7, 1), date(2026, 7, 6)
    assert deadline_mark("in_progress", date(2026, 7, 1), today, soon) == "due-soon"
    assert deadline_mark("in_progress", None, today, soon) == ""
    assert deadline_mark("submitted", date(2026, 6, 1), today, soon) == "overdue"
    assert deadline_mark("closed", date(2026, 6, 1), today, soon) == ""


# --- working days ---------------------------------------------------------------------------

def test_knows_and_is_workday_with_overrides_package_and_weekdays():
    cal = WorkCalendar({date(2027, 1, 2): True, date(2026, 7, 1): False})
    assert cal.knows(date(2027, 1, 2)) is True  # override in a year the package lacks
    assert cal.knows(date(2027, 1, 4)) is False
    assert cal.knows(date(2026, 7, 2)) is True
    assert cal.is_workday(date(2026, 7, 1)) is False  # override beats the package
    assert cal.is_workday(date(2027, 1, 2)) is True  # override beats the weekend
    assert cal.is_workday(date(2026, 10, 1)) is False  # National Day
    assert cal.is_workday(date(2026, 9, 20)) is True  # Sunday worked in lieu (调休)
    assert cal.is_workday(date(2027, 1, 8)) is True  # Friday, unknown year
    assert cal.is_workday(date(2027, 1, 9)) is False  # Saturday, unknown year
    assert cal.is_workday(date(2027, 1, 10)) is False  # Sunday, unknown year


def test_add_working_days_exact():
    assert CAL.add_working_days(date(2026, 7, 3), 0) == (date(2026, 7, 3), True)
    assert CAL.add_working_days(date(2026, 7, 3), 3) == (date(2026, 7, 8), True)
    assert CAL.add_working_days(date(2026, 12, 30), 1) == (date(2026, 12, 31), True)
    # 2027 is not in the package: Mon-Fri, and the answer says it is a guess.
    assert CAL.add_working_days(date(2026, 12, 30), 3) == (date(2027, 1, 4), False)
    with pytest.raises(DomainError):
        CAL.add_working_days(date(2026, 7, 1), -1)


def test_working_days_between_exact():
    assert CAL.working_days_between(date(2026, 7, 1), date(2026, 7, 1)) == 0
    assert CAL.working_days_between(date(2026, 7, 2), date(2026, 7, 3)) == 1  # Thu -> Fri
    assert CAL.working_days_between(date(2026, 7, 3), date(2026, 7, 5)) == 0  # weekend
    assert CAL.working_days_between(date(2026, 7, 1), date(2026, 7, 10)) == 7


# --- questionnaire scoring ------------------------------------------------------------------

def test_tally_figures():
    tally = Tally(satisfied=3, basically=1, unsatisfied=1, dont_know=2)
    assert (tally.answers, tally.rated) == (7, 5)
    assert tally.satisfaction_rate() == 0.8
    assert tally.weighted_score((100, 80, 0)) == 76.0
    assert tally.weighted_score((100, 80, 10)) == 78.0
    assert Tally(unsatisfied=2, dont_know=1).satisfaction_rate() == 0.0
    nobody = Tally(dont_know=3)
    assert (nobody.answers, nobody.rated) == (3, 0)
    assert nobody.satisfaction_rate() is None and nobody.weighted_score((100, 80, 0)) is None
    assert (Tally().answers, Tally().rated) == (0, 0)


def test_results_table_ranks_shares_ties_and_withholds_small_units():
    q = SimpleNamespace(weight_satisfied=100, weight_basically=80, weight_unsatisfied=0,
                        min_answers=5, item_weights=None)
    units = [SimpleNamespace(id=i, name=n, name_en="") for i, n in
             [(1, "丁科"), (2, "乙科"), (3, "甲科"), (4, "丙科"), (5, "戊科")]]
    topics = [SimpleNamespace(id=10), SimpleNamespace(id=11)]
    counts = {
        (1, None): Tally(satisfied=5),  # 100
        (2, None): Tally(satisfied=4, basically=1),  # 96
        (3, None): Tally(satisfied=5, dont_know=3),  # 100, ties with unit 1
        (4, None): Tally(satisfied=4),  # 4 answers: withheld
        (5, None): Tally(satisfied=1, unsatisfied=3, dont_know=1),  # exactly 5: shown, 25
        (1, 10): Tally(satisfied=2),  # 100 as well: the composite stays 100
    }
    rows = results_table(q, units, topics, counts)
    assert [(r.unit_id, r.rank, r.shown, r.rate, r.score) for r in rows] == [
        (1, 1, True, 1.0, 100.0),  # equal scores share rank 1, ordered by name
        (3, 1, True, 1.0, 100.0),
        (2, 3, True, 1.0, 96.0),
        (5, 4, True, 0.25, 25.0),
        (4, None, False, None, None),
    ]
    first = rows[0]
    assert first.unit_name == "丁科" and first.overall == Tally(satisfied=5)
    assert first.by_topic == {10: Tally(satisfied=2), 11: Tally()}
    assert rows[-1].overall == Tally(satisfied=4)
    empty = results_table(q, units[:1], topics, {})
    assert [(r.rank, r.shown, r.overall) for r in empty] == [(None, False, Tally())]


def test_item_weights_default_and_chosen():
    topics = [SimpleNamespace(id=10), SimpleNamespace(id=11), SimpleNamespace(id=12)]
    default = SimpleNamespace(item_weights=None)
    assert item_weights(default, topics) == {None: 3, 10: 1, 11: 1, 12: 1}
    assert item_weights(default, []) == {None: 1}
    chosen = SimpleNamespace(item_weights={"all": 5, "10": 2, "99": 7})
    assert item_weights(chosen, topics) == {None: 5, 10: 2, 11: 0, 12: 0}


def test_composite_score_over_the_rated_items_only():
    scale = (100, 80, 0)
    items = {None: Tally(satisfied=3, unsatisfied=1),  # 75
             10: Tally(basically=2),  # 80
             11: Tally(dont_know=4)}  # nobody rated it: left out
    assert composite_score(items, {None: 2, 10: 1, 11: 1}, scale) == (2 * 75 + 80) / 3
    assert composite_score(items, {None: 1, 10: 3, 11: 5}, scale) == (75 + 3 * 80) / 4
    assert composite_score(items, {None: 0, 10: 1, 11: 1}, scale) == 80.0  # weight 0: left out
    assert composite_score({None: Tally(satisfied=1)}, {None: 0}, scale) is None
    assert composite_score({None: Tally(dont_know=2)}, {None: 1}, scale) is None


def test_results_table_ranks_by_the_composite_not_the_overall_rating_alone():
    q = SimpleNamespace(weight_satisfied=100, weight_basically=80, weight_unsatisfied=0,
                        min_answers=5, item_weights=None)
    units = [SimpleNamespace(id=1, name="甲科", name_en=""),
             SimpleNamespace(id=2, name="乙科", name_en="")]
    topics = [SimpleNamespace(id=10)]
    counts = {
        (1, None): Tally(satisfied=5), (1, 10): Tally(unsatisfied=5),  # (100 + 0) / 2 = 50
        (2, None): Tally(basically=5), (2, 10): Tally(basically=5),  # (80 + 80) / 2 = 80
    }
    rows = results_table(q, units, topics, counts)
    assert [(r.unit_id, r.rank, r.rate, r.score) for r in rows] == [
        (2, 1, 1.0, 80.0), (1, 2, 1.0, 50.0)]
    q.item_weights = {"all": 1, "10": 0}  # the office counts the overall rating only
    rows = results_table(q, units, topics, counts)
    assert [(r.unit_id, r.rank, r.score) for r in rows] == [(1, 1, 100.0), (2, 2, 80.0)]


# --- report figures -------------------------------------------------------------------------

def test_period_of_the_campaign_year():
    campaign = SimpleNamespace(year=2026)
    assert period_of(campaign, date(2026, 7, 1)) == (date(2026, 1, 1), date(2026, 7, 1))
    assert period_of(campaign, date(2027, 3, 1)) == (date(2026, 1, 1), date(2026, 12, 31))


def test_counter_counts_working_days_like_the_calendar():
    count = _counter(CAL, date(2026, 9, 28), date(2026, 10, 12))
    assert count(date(2026, 9, 28), date(2026, 10, 12)) == 6  # 9/29, 9/30, 10/9-10/12
    assert count(date(2026, 9, 30), date(2026, 10, 9)) == 2
    assert count(date(2026, 10, 1), date(2026, 10, 8)) == 1
    assert count(date(2026, 10, 9), date(2026, 10, 9)) == 0
    assert count(date(2026, 10, 12), date(2026, 9, 28)) == 0



def test_case_figures_of_one_unit(ctx):
    office, handler, lead = staff("office"), staff("land_handler"), staff("land_lead")
    land = unit("land").id
    # A complaint received 1 July, answered on 6 July (3 working days), rated satisfied.
    answered, _ = make_case()
    handling.accept_case(answered, actor=office, unit_id=land, now=NOW)
    handling.sign_case(answered, actor=handler, now=NOW)
    handling.start_case(answered, actor=handler, now=NOW)
    handling.submit_reply(answered, actor=handler, body_html="<p>已增开窗口。</p>", now=NOW)
    handling.approve_reply(answered, actor=lead, now=NOW)
    handling.release_reply(answered, actor=office, now=morning_of(date(2026, 7, 6)))
    rating.rate_case(answered, value="satisfied", reason="", now=morning_of(date(2026, 7, 7)))
    # A phone consultation assigned on 1 July, due in 5 working days (8 July): overdue on 10th.
    waiting, _ = make_case(kind="consultation", channel="phone")
    handling.accept_case(waiting, actor=office, unit_id=land, now=NOW)
    # A web consultation due on 8 July, answered late on 9 July (6 working days), not rated.
    late, _ = make_case(kind="consultation")
    handling.accept_case(late, actor=office, unit_id=land, now=NOW)
    handling.sign_case(late, actor=handler, now=NOW)
    handling.start_case(late, actor=handler, now=NOW)
    handling.submit_reply(late, actor=handler, body_html="<p>答复。</p>", now=NOW)
    handling.approve_reply(late, actor=lead, now=NOW)
    handling.release_reply(late, actor=office, now=morning_of(date(2026, 7, 9)))
    # A complaint received on 30 June, answered on 9 July too (7 working days), on time.
    earlier, _ = make_case(now=datetime(2026, 6, 30, 2, tzinfo=UTC))
    handling.accept_case(earlier, actor=office, unit_id=land, now=NOW)
    handling.sign_case(earlier, actor=handler, now=NOW)
    handling.start_case(earlier, actor=handler, now=NOW)
    handling.submit_reply(earlier, actor=handler, body_html="<p>答复。</p>", now=NOW)
    handling.approve_reply(earlier, actor=lead, now=NOW)
    handling.release_reply(earlier, actor=office, now=morning_of(date(2026, 7, 9)))
    # Another unit's case and a case of last year do not count.
    other, _ = make_case()
    handling.accept_case(other, actor=office, unit_id=unit("compilation").id, now=NOW)
    old, _ = make_case(now=datetime(2025, 12, 30, 2, tzinfo=UTC))
    handling.accept_case(old, actor=office, unit_id=land, now=NOW)

    expected = {
        "total": 4,
        "by_kind": {"complaint": 2, "report": 0, "suggestion": 0, "consultation": 2,
                    "praise": 0},
        "by_channel": {"web": 3, "phone": 1, "letter": 0, "forum": 0, "visit": 0,
                       "questionnaire": 0, "inspection": 0, "api": 0},
        "replied": 3,
        "replied_on_time": 2,
        "unanswered": 1,
        "overdue": 1,  # the late answer is past its date too, but answered
        "avg_working_days": 5.3,  # (3 + 6 + 7) / 3
        "ratings": {"satisfied": 1, "basically_satisfied": 0, "unsatisfied": 0, "none": 2},
    }
    year = case_figures(land, date(2026, 1, 1), date(2026, 12, 31), CAL, date(2026, 7, 10))
    assert year == expected
    # Both ends of a period are included.
    assert case_figures(land, date(2026, 7, 1), date(2026, 7, 1), CAL, date(2026, 7, 10))[
        "total"] == 3
    assert case_figures(land, date(2026, 6, 30), date(2026, 6, 30), CAL, date(2026, 7, 10))[
        "total"] == 1
    # On 8 July itself the consultation is due, not yet overdue.
    on_due = case_figures(land, date(2026, 1, 1), date(2026, 12, 31), CAL, date(2026, 7, 8))
    assert on_due["overdue"] == 0 and on_due["unanswered"] == 1
    assert case_figures(land, date(2026, 7, 2), date(2026, 12, 31), CAL, date(2026, 7, 10))[
        "total"] == 0
