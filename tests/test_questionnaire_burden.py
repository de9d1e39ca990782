"""Issue 11 point 7: a representative answers with one tap per section (topics optional, "do not
know this section" in one tap), can stop and resume with the same code, opinions become cases
titled with their section and topic, and units are ranked by a weighted composite."""

import re

from sqlalchemy import func, select

from models import Answer, Case, QuestionnaireDraft, Response, all_topics, db
from tests.appraisal_helpers import create_questionnaire, invitations
from tests.factories import hidden_fields, login, unit


def _open_with_one_invitation(app):
    office, q = create_questionnaire(app)
    office.post(f"/staff/appraisal/{q.id}/invite",
                data={"name": "赵一", "group": "representative", "organisation": "人大"})
    office.post(f"/staff/appraisal/{q.id}/state/open")
    return office, q, invitations(q)[0]


def _answers():
    return [(a.unit_id, a.topic_id, a.value) for a in db.session.scalars(
        select(Answer).order_by(Answer.unit_id, Answer.topic_id))]


def test_only_the_overall_rating_of_each_section_is_required(app, ctx):
    _office, q, invitation = _open_with_one_invitation(app)
    client = app.test_client()
    page = client.get(f"/q/{invitation.token}").get_data(as_text=True)
    # One required choice per section, nothing else marked required.
    assert page.count("（必填）") == len(q.units)
    units = [u.id for u in q.units]
    data = {f"r_{u}_all": "satisfied" for u in units}
    done = client.post(f"/q/{invitation.token}", data=data)
    assert done.status_code == 200, done.get_data(as_text=True)[:500]
    assert _answers() == sorted((u, None, "satisfied") for u in units)


def test_do_not_know_a_whole_section_in_one_tap(app, ctx):
    _office, q, invitation = _open_with_one_invitation(app)
    first, *others = [u.id for u in q.units]
    topic = all_topics()[0].id
    data = {f"r_{u}_all": "basically_satisfied" for u in others}
    # Ticked as unknown: no overall needed, and a stray topic choice is not counted.
    data |= {f"d_{first}": "y", f"r_{first}_{topic}": "unsatisfied"}
    done = app.test_client().post(f"/q/{invitation.token}", data=data)
    assert done.status_code == 200
    assert _answers() == sorted([(first, None, "dont_know")]
                                + [(u, None, "basically_satisfied") for u in others])


def test_an_overall_rating_left_out_is_named_and_nothing_is_stored(app, ctx):
    _office, q, invitation = _open_with_one_invitation(app)
    first, *others = [u.id for u in q.units]
    data = {f"r_{u}_all": "satisfied" for u in others} | {f"o_{first}": "这段意见要保留"}
    missing = app.test_client().post(f"/q/{invitation.token}", data=data)
    html = missing.get_data(as_text=True)
    assert missing.status_code == 400
    # Named beside the one section left out (and in the summary), no other section marked.
    assert re.findall(r'<p class="error" id="(\w+)-err">', html) == [f"r_{first}_all"]
    assert html.count("请选择一项（不了解的可选“不了解”）。") == 2 and "这段意见要保留" in html
    assert _answers() == []


def test_answers_are_kept_and_resumed_with_the_same_code_until_submitted(app, ctx):
    _office, q, invitation = _open_with_one_invitation(app)
    first, second, *_rest = [u.id for u in q.units]
    topic = all_topics()[1].id
    client = app.test_client()
    saved = client.post(f"/q/{invitation.token}", data={
        f"r_{first}_all": "unsatisfied", f"r_{first}_{topic}": "basically_satisfied",
        f"o_{first}": "窗口排队太久", f"ot_{first}": str(topic), "save": "1"})
    assert saved.status_code == 200 and "已暂存" in saved.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    # Another browser, the code typed from the letter: the answers are back.
    other = app.test_client()
    found = other.post("/q", data={"code": invitation.code.lower()})
    assert found.headers["Location"].endswith(f"/q/{invitation.token}")
    page = other.get(f"/q/{invitation.token}").get_data(as_text=True)
    assert re.search(rf'name="r_{first}_all"[^>]*value="unsatisfied"[^>]*checked|'
                     rf'checked[^>]*name="r_{first}_all"[^>]*value="unsatisfied"|'
                     rf'name="r_{first}_all"[^>]*checked[^>]*value="unsatisfied"', page), page
    assert "窗口排队太久" in page
    # The page's script saves as the respondent goes.
    autosave = other.post(f"/q/{invitation.token}/draft", data={
        "csrf_token": hidden_fields(page).get("csrf_token", ""),
        f"r_{first}_all": "satisfied", f"r_{second}_all": "dont_know", f"o_{first}": "\x00坏",
        f"ot_{first}": "99999"})
    assert autosave.status_code == 204
    draft = db.session.scalars(select(QuestionnaireDraft)).one()
    db.session.refresh(draft)
    # Only what is valid is kept; the bad opinion and the forged topic are left out.
    assert draft.answers == {f"r_{first}_all": "satisfied", f"r_{second}_all": "dont_know"}
    # Submitting stores the answers and drops the draft: nothing links them to the person.
    data = {f"r_{u.id}_all": "satisfied" for u in q.units}
    assert other.post(f"/q/{invitation.token}", data=data).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(QuestionnaireDraft)) == 0
    db.session.refresh(invitation)
    assert invitation.used is True
    late = other.post(f"/q/{invitation.token}/draft", data={f"r_{first}_all": "satisfied"})
    assert late.status_code == 409


def test_an_opinion_becomes_a_case_titled_with_its_section_and_topic(app, ctx):
    _office, q, invitation = _open_with_one_invitation(app)
    land = unit("land")
    topic = all_topics()[0]
    data = {f"r_{u.id}_all": "satisfied" for u in q.units}
    data |= {f"o_{land.id}": "希望延长午间办理时间", f"ot_{land.id}": str(topic.id)}
    forged = app.test_client().post(f"/q/{invitation.token}", data=data | {
        f"ot_{land.id}": "99999"})
    assert forged.status_code == 400 and db.session.scalars(select(Case)).first() is None
    done = app.test_client().post(f"/q/{invitation.token}", data=data)
    assert done.status_code == 200
    case = db.session.scalars(select(Case)).one()
    assert case.title == f"问卷意见：{land.name}·{topic.name}"
    assert case.content == "希望延长午间办理时间"
    assert (case.unit_id, case.channel, case.status) == (land.id, "questionnaire", "assigned")


def test_the_office_sets_the_ranking_weights(app, ctx):
    office, q, _invitation = _open_with_one_invitation(app)
    topics = all_topics()
    page = office.get(f"/staff/appraisal/{q.id}/weights")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    # The documented default: the overall rating weighs as much as all topics together.
    assert re.search(rf'name="w_all"[^>]*value="{len(topics)}"', html), html
    form = {"csrf_token": hidden_fields(html).get("csrf_token", ""), "w_all": "3"}
    form |= {f"w_{t.id}": "1" for t in topics}
    bad = office.post(f"/staff/appraisal/{q.id}/weights", data=form | {"w_all": "-1"})
    assert bad.status_code == 400 and "请填写 0 到 100 的整数。" in bad.get_data(as_text=True)
    zero = office.post(f"/staff/appraisal/{q.id}/weights",
                       data={"w_all": "0"} | {f"w_{t.id}": "0" for t in topics})
    assert zero.status_code == 400 and "至少一项的权重应大于 0。" in zero.get_data(as_text=True)
    saved = office.post(f"/staff/appraisal/{q.id}/weights", data=form)
    assert saved.status_code == 302
    db.session.refresh(q)
    assert q.item_weights == {"all": 3} | {str(t.id): 1 for t in topics}
    handler = login(app.test_client(), app, "land_handler")
    assert handler.get(f"/staff/appraisal/{q.id}/weights").status_code == 403
    assert office.get("/staff/appraisal/999999/weights").status_code == 404
