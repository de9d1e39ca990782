"""The roll-up of the report figures (PostgreSQL-only: materialized views) gives exactly the
figures of the direct computation, as of its last refresh; unanswered and overdue stay live."""

from datetime import UTC, date, datetime

import pytest

from models import WorkCalendar, db, figure_rollup
from models.report_figures import bureau_overview, case_figures, public_stats
from portal.services import handling, rating
from tests.factories import NOW, answer_on, login, make_case, morning_of, staff, unit

CAL = WorkCalendar({})
YEAR = (date(2026, 1, 1), date(2026, 12, 31))
AS_OF = date(2026, 7, 10)


@pytest.fixture(autouse=True)
def _postgres_only(is_postgres):
    if not is_postgres:
        pytest.skip("PostgreSQL-only: the roll-up views exist there only")





def _cases():
    """land: a complaint answered 6 July (3 working days) and rated satisfied; a phone
    consultation accepted, due 8 July, unanswered; a complaint rated unsatisfied and reopened
    (unanswered again, its latest rating unsatisfied); a complaint received 30 June answered
    9 July (7 working days), not rated. compilation: one answered 2 July. One not routed."""
    answered, _ = make_case()
    answer_on(answered, date(2026, 7, 6))
    rating.rate_case(answered, value="satisfied", reason="", now=morning_of(date(2026, 7, 7)))
    waiting, _ = make_case(kind="consultation", channel="phone")
    handling.accept_case(waiting, actor=staff("office"), unit_id=unit("land").id, now=NOW)
    reopened, _ = make_case()
    answer_on(reopened, date(2026, 7, 6))
    rating.rate_case(reopened, value="unsatisfied", reason="没解决", now=morning_of(date(2026, 7, 7)))
    handling.reopen_case(reopened, actor=staff("office"), reason="复核", now=morning_of(date(2026, 7, 7)))
    earlier, _ = make_case(now=datetime(2026, 6, 30, 2, tzinfo=UTC))
    answer_on(earlier, date(2026, 7, 9))
    other, _ = make_case()
    answer_on(other, date(2026, 7, 2), "compilation")
    make_case()  # not routed
    return waiting


def _refresh():
    figure_rollup.refresh(db.session, NOW)
    db.session.commit()


LAND = {
    "total": 4,
    "by_kind": {"complaint": 3, "report": 0, "suggestion": 0, "consultation": 1, "praise": 0},
    "by_channel": {"web": 3, "phone": 1, "letter": 0, "forum": 0, "visit": 0,
                   "questionnaire": 0, "inspection": 0, "api": 0},
    "replied": 2,  # the reopened case's reply was taken back
    "replied_on_time": 2,
    "unanswered": 2,
    "overdue": 1,  # the consultation, due 8 July
    "avg_working_days": 5.0,  # (3 + 7) / 2
    # The reopened case is not answered: its unsatisfied rating is not the report's.
    "ratings": {"satisfied": 1, "basically_satisfied": 0, "unsatisfied": 0, "none": 1},
}


def test_rolled_up_figures_equal_the_direct_computation(ctx):
    _cases()
    _refresh()
    land = unit("land").id
    assert case_figures(land, *YEAR, CAL, AS_OF, from_rollup=True) == LAND
    assert case_figures(land, *YEAR, CAL, AS_OF) == LAND
    # On 8 July itself the consultation is due, not yet overdue (counted live).
    assert case_figures(land, *YEAR, CAL, date(2026, 7, 8), from_rollup=True)["overdue"] == 0
    # Each end of a period included, each day on its own.
    first = case_figures(land, date(2026, 7, 1), date(2026, 7, 1), CAL, AS_OF, from_rollup=True)
    assert (first["total"], first["replied"], first["avg_working_days"]) == (3, 1, 3.0)
    june = case_figures(land, date(2026, 6, 30), date(2026, 6, 30), CAL, AS_OF, from_rollup=True)
    assert (june["total"], june["replied"], june["avg_working_days"]) == (1, 1, 7.0)

    stats = {
        land: {"received": 4, "replied": 2, "on_time": 2, "rated": 2, "satisfied": 1,
               "overdue": 1},
        unit("compilation").id: {"received": 1, "replied": 1, "on_time": 1, "rated": 0,
                                 "satisfied": 0, "overdue": 0},
    }
    assert public_stats(*YEAR, today=AS_OF, from_rollup=True) == stats
    assert public_stats(*YEAR, today=AS_OF) == stats
    # Overdue bureau-wide: the consultation, and the unrouted case past its acceptance date
    # (3 July, two working days after filing).
    bureau = {"received": 6, "overdue": 2, "unrouted": 1}
    assert bureau_overview(*YEAR, AS_OF, from_rollup=True) == bureau
    assert bureau_overview(*YEAR, AS_OF) == bureau


def test_refresh_picks_up_a_new_case_and_unanswered_stay_live_meanwhile(ctx):
    _cases()
    _refresh()
    land = unit("land").id
    new, _ = make_case(kind="praise", now=datetime(2026, 7, 2, 2, tzinfo=UTC))
    handling.accept_case(new, actor=staff("office"), unit_id=land, now=NOW)
    stale = case_figures(land, *YEAR, CAL, AS_OF, from_rollup=True)
    # Not refreshed yet: the roll-up still counts four cases, the live counts three unanswered.
    assert (stale["total"], stale["by_kind"]["praise"], stale["unanswered"]) == (4, 0, 3)
    assert public_stats(*YEAR, from_rollup=True)[land]["received"] == 4
    _refresh()
    fresh = case_figures(land, *YEAR, CAL, AS_OF, from_rollup=True)
    assert fresh == case_figures(land, *YEAR, CAL, AS_OF)
    assert (fresh["total"], fresh["by_kind"]["praise"], fresh["unanswered"]) == (5, 1, 3)
    assert public_stats(*YEAR, from_rollup=True)[land]["received"] == 5
    assert figure_rollup.refreshed_at(db.session) == NOW


def test_pages_read_the_roll_up_and_say_as_of_when(app, client, ctx):
    _cases()
    _refresh()  # at NOW: 1 July 2026, 10:00 in Beijing
    land = unit("land").id
    praise, _ = make_case(kind="praise")  # after the refresh: not on the pages' totals yet
    handling.accept_case(praise, actor=staff("office"), unit_id=land, now=NOW)
    app.config["FIGURES_FROM_ROLLUP"] = True
    try:
        login(client, app, "office")
        summary = client.get("/staff/reports").get_data(as_text=True)
        page = client.get(f"/staff/reports/{land}").get_data(as_text=True)
        stats = client.get("/stats").get_data(as_text=True)  # no snapshot kept
    finally:
        app.config["FIGURES_FROM_ROLLUP"] = False
    assert "数据截至 2026-07-01 10:00（未答复、超期为实时数）" in summary
    assert "数据截至 2026-07-01 10:00（未答复、超期为实时数；报送时按当时全部数据计算并固定）" in page
    assert "<dt>收到</dt><dd>4</dd>" in page
    # Live, on the real day (long after July): the praise counts too, all three past due.
    assert "<dt>未答复</dt><dd>3（超期 3）</dd>" in page
    assert '<p class="muted" data-as-of>数据截至 2026-07-01 10:00（超期未答复、尚未分办为实时数）</p>' in stats
    # Received as of the refresh (six cases, not the praise); overdue and not routed live: the
    # consultation, the reopened complaint, the praise and the unrouted case (its acceptance
    # deadline) are past due, one case is unrouted.
    assert 'id="bureau-received">6<' in stats
    assert 'id="bureau-overdue">4<' in stats
    assert 'id="bureau-unrouted">1<' in stats


def test_a_submitted_report_freezes_figures_computed_live_not_the_roll_up(app, ctx):
    from models import current_campaign
    from models.report import SECTIONS
    from portal.services import reports

    _cases()
    _refresh()
    land = unit("land").id
    praise, _ = make_case(kind="praise")  # after the refresh
    handling.accept_case(praise, actor=staff("office"), unit_id=land, now=NOW)
    campaign = current_campaign(date(2026, 7, 10))
    app.config["FIGURES_FROM_ROLLUP"] = True
    try:
        report = reports.save_report(unit_id=land, campaign=campaign,
                                     sections=dict.fromkeys(SECTIONS, "内容"),
                                     actor=staff("land_lead"), submit=True, now=morning_of(AS_OF))
    finally:
        app.config["FIGURES_FROM_ROLLUP"] = False
    assert report.figures["cases"]["total"] == 5
    assert report.figures["cases"]["by_kind"]["praise"] == 1
