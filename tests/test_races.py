"""Simultaneous submissions: one invitation answers once, one reply is rated once.

The requests go to a live threaded server, each handled with its own app context and database
session as in production, and a barrier releases them together so that they overlap.
"""

import threading

from sqlalchemy import func, select

from models import Answer, Case, CaseEvent, Invitation, Response, Status, all_topics, db, utcnow
from models.reply import Rating
from portal.services import appraisal, handling
from tests.appconfig import decide_on_stale_copies
from tests.appraisal_helpers import answer_form, create_questionnaire
from tests.factories import make_case, staff, unit
from tests.http_client import Browserish
from tests.live import LiveServer
from tests.test_board import drive

ROUNDS, ANSWERS_AT_ONCE = 5, 8


def _count(model, *where):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _all_at_once(n, call):
    """Run ``call(i)`` in ``n`` threads released together; return their results in order."""
    barrier, results, errors = threading.Barrier(n), [None] * n, []

    def run(i):
        try:
            barrier.wait(timeout=10)
            results[i] = call(i)
        except Exception as exc:  # noqa: BLE001  (collected and asserted below)
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    return results


def _open_questionnaire(app):
    office, q = create_questionnaire(app)
    assert office.post(f"/staff/appraisal/{q.id}/state/open").status_code == 302
    return office, q


def _invite(office, q, name):
    response = office.post(f"/staff/appraisal/{q.id}/invite",
                           data={"name": name, "group": "representative", "organisation": "人大"})
    assert response.status_code == 302
    return db.session.scalars(select(Invitation).where(Invitation.name == name)).one()


def test_simultaneous_answers_to_one_invitation_store_exactly_one(app, ctx):
    office, q = _open_questionnaire(app)
    land = unit("land")
    per_response = len(q.units) * (len(all_topics()) + 1)
    with LiveServer(app) as server:
        for round_ in range(ROUNDS):
            invitation = _invite(office, q, f"代表{round_}")
            form = answer_form(q, {land.id: "satisfied"},
                               opinions={land.id: f"第{round_}轮：建议增加导办人员。"})

            def post(_i, token=invitation.token, form=form):
                return Browserish(server.url, timeout=30).post(f"/q/{token}", form)

            answers = _all_at_once(ANSWERS_AT_ONCE, post)
            statuses = sorted(status for status, _html in answers)
            assert statuses == [200] + [409] * (ANSWERS_AT_ONCE - 1), (round_, statuses)
            for status, html in answers:
                if status == 409:
                    assert "已经答过问卷" in html
            assert _count(Response) == round_ + 1
            assert _count(Answer) == (round_ + 1) * per_response
            assert _count(Case, Case.content == f"第{round_}轮：建议增加导办人员。") == 1
            assert _count(Case, Case.channel == "questionnaire") == round_ + 1
            assert db.session.get(Invitation, invitation.id).used is True


def test_an_answer_loaded_before_another_was_stored_is_refused(app, ctx):
    """The claim is made in the database, not on the copy each request loaded: two sessions
    that both saw the invitation unused store one response, the second is told plainly."""
    office, q = _open_questionnaire(app)
    invitation_id = _invite(office, q, "赵一").id
    land = unit("land")
    ratings = {(u.id, None): "satisfied" for u in q.units}

    def answer(invitation):
        return len(appraisal.submit_response(
            questionnaire=invitation.questionnaire, invitation=invitation,
            group=invitation.group, ratings=ratings, opinions={land.id: ("意见", None)},
            now=utcnow()))

    outcomes = decide_on_stale_copies(app, Invitation, invitation_id, [answer, answer],
                                      fresh=lambda invitation: invitation.used is False)
    assert outcomes == [1, "这份邀请已经答过问卷，每份邀请只能答一次。"]
    assert _count(Response) == 1
    assert _count(Case, Case.channel == "questionnaire") == 1


def _replied_case():
    case, code = make_case()
    drive(case, Status.REPLY_APPROVED)
    # Released now: the rating window runs from the day of the reply.
    handling.release_reply(case, actor=staff("office"), now=utcnow())
    return case, code


def test_simultaneous_ratings_of_one_reply_store_one_and_explain_the_other(app, ctx):
    with LiveServer(app) as server:
        for round_ in range(ROUNDS):
            case, code = _replied_case()
            citizen = Browserish(server.url, timeout=30)
            status, _html = citizen.post("/track", {"number": case.number, "code": code})
            assert status == 302

            cookies = dict(citizen.cookies)

            def rate(i, number=case.number, cookies=cookies):
                browser = Browserish(server.url, timeout=30)
                browser.cookies = dict(cookies)  # the same browser session, twice at once
                value = "satisfied" if i == 0 else "basically_satisfied"
                return browser.post(f"/track/{number}/rate", {"value": value, "reason": ""})

            answers = _all_at_once(2, rate)
            statuses = sorted(status for status, _html in answers)
            assert statuses == [302, 409], (round_, statuses)
            refused = next(html for status, html in answers if status == 409)
            assert case.number in refused and "这条答复已经评价过，每条答复只能评价一次。" in refused
            assert _count(Rating, Rating.case_id == case.id) == 1
            assert _count(CaseEvent, CaseEvent.case_id == case.id,
                          CaseEvent.action.like("rated:%")) == 1
            assert db.session.get(Case, case.id).status == "rated"


def test_a_second_rating_after_the_first_is_refused_with_the_status_page(app, ctx):
    case, code = _replied_case()
    citizen = app.test_client()
    citizen.post("/track", data={"number": case.number, "code": code})
    first = citizen.post(f"/track/{case.number}/rate", data={"value": "satisfied"})
    assert first.status_code == 302
    second = citizen.post(f"/track/{case.number}/rate", data={"value": "unsatisfied",
                                                              "reason": "再评一次"})
    assert second.status_code == 409
    assert "这条答复已经评价过，每条答复只能评价一次。" in second.get_data(as_text=True)
    assert _count(Rating, Rating.case_id == case.id) == 1
