"""Published letters (信件公开): redacted copies, consent enforced in the service, the office's
review and log, the public list with its filters and the detail page."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from models import DomainError, PublishedLetter, db
from models.publication import LetterState, public_letters, published_description
from portal.services import publication, rating
from tests.factories import NOW, login, make_case, release_reply, staff, topic, unit

VALID_ID = "11010519491231002X"
CONTENT = f"我是王小明，身份证{VALID_ID}，手机13800138000，车牌京A12345，窗口排队两小时。"


def consented(now=NOW, replied_at=None, **overrides):
    fields = {"name": "王小明", "content": CONTENT, "publish_consent": True} | overrides
    case, _code = make_case(now=now, **fields)
    return release_reply(case, replied_at or now, body_html="<p>王小明您好：</p><p>已增开窗口，电话010-12345678。</p>")


def published_letter(case, now=NOW):
    office = staff("office")
    letter = publication.prepare_letter(case, actor=office, now=now)
    return publication.publish_letter(letter, actor=office, now=now)


def test_the_copy_is_redacted_and_the_case_keeps_its_own_words(ctx):
    case = consented()
    letter = publication.prepare_letter(case, actor=staff("office"), now=NOW)
    assert letter.question == "我是[姓名]，身份证[身份证号]，手机[电话]，车牌[车牌]，窗口排队两小时。"
    assert letter.answer == "[姓名]您好：\n已增开窗口，电话[电话]。"
    assert letter.state == LetterState.DRAFT
    publication.edit_letter(letter, actor=staff("office"), title="窗口排队",
                            question="窗口排队两小时。", answer="已增开窗口。", now=NOW)
    db.session.expire_all()
    assert db.session.get(type(case), case.id).content == CONTENT
    assert [log.action for log in letter.logs] == ["prepared", "edited"]


def test_a_case_without_consent_can_never_be_published(ctx):
    case, _ = make_case(publish_consent=False)
    release_reply(case)
    with pytest.raises(DomainError, match="来信人未同意公开"):
        publication.prepare_letter(case, actor=staff("office"), now=NOW)
    # Even a copy that got into the table some other way is refused at the moment of publishing.
    forged = PublishedLetter(case_id=case.id, title="t", question="q", answer="a",
                             kind=case.kind, received_on=case.received_on, year=2026,
                             prepared_at=NOW)
    db.session.add(forged)
    db.session.commit()
    with pytest.raises(DomainError, match="来信人未同意公开"):
        publication.publish_letter(forged, actor=staff("office"), now=NOW)
    db.session.rollback()
    assert db.session.get(PublishedLetter, forged.id).state == "draft"


def test_an_unanswered_case_cannot_be_published(ctx):
    case, _ = make_case(publish_consent=True)
    with pytest.raises(DomainError, match="只有已答复的事项才能公开"):
        publication.prepare_letter(case, actor=staff("office"), now=NOW)


def test_only_the_office_publishes(ctx, client, app):
    case = consented()
    with pytest.raises(DomainError, match="只有评议办可以公开信件"):
        publication.prepare_letter(case, actor=staff("land_lead"), now=NOW)
    assert db.session.scalars(select(PublishedLetter)).all() == []
    # Every later step asks the actor too, not only the page in front of it.
    letter = publication.prepare_letter(case, actor=staff("office"), now=NOW)
    for step, kwargs in ((publication.edit_letter, {"title": "改", "question": "改", "answer": "改"}),
                         (publication.publish_letter, {})):
        with pytest.raises(DomainError, match="只有评议办可以公开信件"):
            step(letter, actor=staff("land_lead"), now=NOW, **kwargs)
    db.session.expire_all()
    assert (letter.state, letter.title, [log.action for log in letter.logs]) == (
        "draft", "窗口办事排队太久", ["prepared"])
    publication.publish_letter(letter, actor=staff("office"), now=NOW)
    with pytest.raises(DomainError, match="只有评议办可以公开信件"):
        publication.withdraw_letter(letter, actor=staff("land_handler"), reason="撤", now=NOW)
    db.session.expire_all()
    assert letter.state == "published"
    login(client, app, "land_lead")
    assert client.get("/staff/letters").status_code == 403
    assert client.post(f"/staff/letters/prepare/{case.id}").status_code == 403


def test_publish_and_withdraw_through_the_pages_are_logged(ctx, client, app):
    case = consented()
    login(client, app, "office")
    assert case.number in client.get("/staff/letters").get_data(as_text=True)
    response = client.post(f"/staff/letters/prepare/{case.id}")
    assert response.status_code == 302
    letter_id = db.session.scalars(select(PublishedLetter.id)).one()
    page = client.get(f"/staff/letters/{letter_id}").get_data(as_text=True)
    assert CONTENT in page  # the original, read-only, beside the copy
    assert client.get(f"/letters/{letter_id}").status_code == 404  # not yet public
    response = client.post(f"/staff/letters/{letter_id}/publish", follow_redirects=True)
    assert "已公开《窗口办事排队太久》。" in response.get_data(as_text=True)
    public = client.get(f"/letters/{letter_id}").get_data(as_text=True)
    assert "我是[姓名]，身份证[身份证号]" in public and VALID_ID not in public
    assert "13800138000" not in public and "王小明" not in public
    # A withdrawal needs a reason; without one the form says so.
    refused = client.post(f"/staff/letters/{letter_id}/withdraw", data={"reason": " "})
    assert refused.status_code == 400
    assert "请写明撤回的原因。" in refused.get_data(as_text=True)
    client.post(f"/staff/letters/{letter_id}/withdraw", data={"reason": "来信人要求撤回"})
    assert client.get(f"/letters/{letter_id}").status_code == 404
    db.session.expire_all()
    letter = db.session.get(PublishedLetter, letter_id)
    assert [(log.action, log.note) for log in letter.logs] == [
        ("prepared", ""), ("published", ""), ("withdrawn", "来信人要求撤回")]
    assert all(log.actor_id == staff("office").id for log in letter.logs)


def test_the_public_description_is_the_published_copy_only(ctx):
    case = consented()
    assert published_description(case) is None
    letter = published_letter(case)
    assert published_description(case) == (
        "我是[姓名]，身份证[身份证号]，手机[电话]，车牌[车牌]，窗口排队两小时。")
    publication.withdraw_letter(letter, actor=staff("office"), reason="撤回", now=NOW)
    assert published_description(case) is None


def test_the_list_is_newest_first_filtered_and_paged(ctx, client):
    first = published_letter(consented(title="第一封关于窗口的信"), NOW)
    second_case = consented(replied_at=NOW + timedelta(days=1), title="第二封关于测绘的信",
                            kind="suggestion",
                            topic_id=topic("livelihood").id)
    rating.rate_case(second_case, value="satisfied", reason="", now=NOW + timedelta(days=1))
    second = published_letter(second_case, NOW + timedelta(days=1))
    rows, more = public_letters()
    assert [r.id for r in rows] == [second.id, first.id] and more is False
    assert [r.id for r in public_letters(per_page=1)[0]] == [second.id]
    assert public_letters(per_page=1)[1] is True
    assert [r.id for r in public_letters(per_page=1, page=2)[0]] == [first.id]
    assert [r.id for r in public_letters(kind="suggestion")[0]] == [second.id]
    assert [r.id for r in public_letters(topic_id=topic("style").id)[0]] == [first.id]
    assert [r.id for r in public_letters(unit_id=unit("land").id)[0]] == [second.id, first.id]
    assert public_letters(unit_id=unit("survey").id)[0] == []
    assert public_letters(year=2025)[0] == []
    assert [r.id for r in public_letters(words="测绘")[0]] == [second.id]
    assert [r.id for r in public_letters(words="窗口 第一封")[0]] == [first.id]
    assert public_letters(words="100%")[0] == []  # LIKE wildcards are matched literally
    page = client.get("/letters?kind=suggestion").get_data(as_text=True)
    assert "第二封关于测绘的信" in page and "第一封关于窗口的信" not in page
    assert "评价：满意" in page
    page = client.get(f"/letters?q=%E7%AA%97%E5%8F%A3&year=2026&unit={unit('land').id}")
    assert page.status_code == 200 and "第一封关于窗口的信" in page.get_data(as_text=True)
    detail = client.get(f"/letters/{second.id}").get_data(as_text=True)
    assert "2026-07-01" in detail and "2026-07-02" in detail and "满意" in detail


@pytest.mark.parametrize("query, message", [
    ("unit=abc", "筛选条件无效"),
    ("unit=999999", "筛选条件无效"),
    ("kind=spam", "筛选条件无效"),
    ("year=1800", "筛选条件无效"),
    ("page=0", "页码无效。"),
    ("page=99999999999", "页码无效。"),
    ("q=" + "长" * 51, "关键词不超过 50 个字"),
])
def test_bad_filters_answer_400_and_keep_what_was_typed(ctx, client, query, message):
    response = client.get(f"/letters?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    if query.startswith("q="):
        assert 'value="' + "长" * 51 + '"' in html


def test_full_width_digits_in_the_year_are_understood(ctx, client):
    published_letter(consented(title="二〇二六年的来信"))
    wide = client.get("/letters?year=２０２６")
    assert wide.status_code == 200 and "二〇二六年的来信" in wide.get_data(as_text=True)
    other_year = client.get("/letters?year=２０２５")
    assert other_year.status_code == 200
    assert "二〇二六年的来信" not in other_year.get_data(as_text=True)


def test_pages_in_english(ctx, client):
    letter = published_letter(consented())
    client.get("/lang/en")
    listing = client.get("/letters").get_data(as_text=True)
    assert "Published letters" in listing and "Complaint" in listing
    assert "Reply" in client.get(f"/letters/{letter.id}").get_data(as_text=True)
