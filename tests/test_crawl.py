"""Crawl every role's pages over data in every state: every same-site link and download is
followed, every form submitted empty and with hostile input. No answer may be a 5xx, and every
download must open. (Issue 8, B5.)"""

from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select, update

from models import Case, Invitation, Problem, StaffUser, db
from portal.abuse import uploads
from portal.extensions import limiter
from portal.services import handling, intake, rating
from tests.appconfig import empty_tables, make_app
from tests.appraisal_helpers import answer_form, create_questionnaire, invitations
from tests.crawler import Crawler, pattern
from tests.factories import login, make_case, png_bytes, staff, topic, unit

# The real clock: the pages judge deadlines and the rating window against it.
NOW = datetime.now(UTC).replace(microsecond=0)
SECTIONS = {"basic_situation": "召开动员会两次。", "main_opinions": "群众反映窗口排队时间长。",
            "main_problems": "导办力量不足。", "rectification": "增设导办岗位。"}
# Never followed: signing out ends the crawl's session; the language switch is tried last.
SKIP = [r"^/staff/logout", r"^/lang/"]


PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
       b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def cases_in_every_status():
    """One case per status (and an extension, notes, attachments); returns [(case, code)]."""
    office, lead, handler = staff("office"), staff("land_lead"), staff("land_handler")
    land = unit("land").id
    files = [uploads.prepare("现场照片.png", png_bytes(), 5 << 20),
             uploads.prepare("材料.pdf", PDF, 5 << 20)]
    made = []

    def new(steps, **fields):
        case, code = make_case(now=NOW, **fields)
        for step in steps:
            step(case)
        made.append((case, code))
        return case

    accept = lambda c: handling.accept_case(c, actor=office, unit_id=land, note="请办理", now=NOW)  # noqa: E731
    sign = lambda c: handling.sign_case(c, actor=handler, now=NOW)  # noqa: E731
    start = lambda c: handling.start_case(c, actor=handler, now=NOW)  # noqa: E731
    draft = lambda c: handling.submit_reply(c, actor=handler, body_html="<p>已处理。</p><p>第二段</p>", now=NOW)  # noqa: E731,E501
    approve = lambda c: handling.approve_reply(c, actor=lead, now=NOW)  # noqa: E731
    release = lambda c: handling.release_reply(c, actor=office, now=NOW)  # noqa: E731
    replied = [accept, sign, start, draft, approve, release]
    new([])  # submitted
    new([lambda c: handling.refuse_case(c, actor=office, reason="不属于受理范围", now=NOW)])
    new([lambda c: handling.accept_case(c, actor=office, now=NOW)])  # accepted
    new([accept])  # assigned
    new([accept, lambda c: handling.return_case(c, actor=lead, reason="不属本科室", now=NOW)])
    new([accept, sign,
         lambda c: handling.request_extension(c, actor=lead, days=3, reason="需现场核实", now=NOW)])
    new([accept, sign, start, lambda c: handling.add_note(c, actor=handler, text="内部备注", now=NOW)])
    new([accept, sign, start, draft])
    new([accept, sign, start, draft, approve])
    new(replied)
    new([*replied, lambda c: rating.rate_case(c, value="satisfied", reason="", now=NOW)])
    new([*replied, lambda c: rating.rate_case(c, value="unsatisfied", reason="没解决", now=NOW),
         lambda c: handling.reopen_case(c, actor=office, reason="重新办理", now=NOW)])
    new([*replied, lambda c: rating.rate_case(c, value="basically_satisfied", reason="", now=NOW),
         lambda c: handling.close_case(c, actor=office, now=NOW)])
    new([], kind="report", title="举报窗口人员索要好处", target_unit_id=land)
    new([], title="另一科室的事项", target_unit_id=unit("info").id, channel="phone")
    made.append(intake.file_case(fields={
        "kind": "complaint", "channel": "web", "title": "带附件的投诉", "content": "附件里有现场照片和材料。",
        "topic_id": topic("style").id, "target_unit_id": land, "name": "李四", "phone": "",
        "email": "", "publish_consent": True}, attachments=files, now=NOW))
    handling.accept_case(made[-1][0], actor=office, unit_id=land, now=NOW)
    return made


def build_world(app):
    """Cases in every status, a questionnaire with invitations and answers (one invitation
    left unused for the representative), a ledger item and reports; as plain values."""
    cases = cases_in_every_status()
    office, q = create_questionnaire(app, min_answers=1, public=True)
    for name in ("甲", "乙", "丙"):
        office.post(f"/staff/appraisal/{q.id}/invite", data={"name": name, "group": "supervisor"})
    office.post(f"/staff/appraisal/{q.id}/state/open")
    people = invitations(q)
    for person in people[:2]:
        app.test_client().post(f"/q/{person.token}", data=answer_form(
            q, {unit("land").id: "satisfied"}, opinions={unit("land").id: "窗口服务要改进"}))
    office.post(f"/staff/appraisal/{q.id}/state/publish")
    lead = login(app.test_client(), app, "land_lead")
    lead.post("/staff/ledger", data={
        "unit": str(unit("land").id), "source": "case", "case_number": cases[11][0].number,
        "description": "答复超期", "measures": "建立超期预警", "responsible": "陈静",
        "committed_on": (NOW + timedelta(days=30)).date().isoformat()})
    assert db.session.scalars(select(Problem)).one()
    # Land's report stays a draft (its leader's form); compilation's waits for the office.
    lead.post(f"/staff/reports/{unit('land').id}", data=SECTIONS)
    login(app.test_client(), app, "compilation_lead").post(
        f"/staff/reports/{unit('compilation').id}", data=SECTIONS | {"submit_now": "y"})
    unused = db.session.scalars(select(Invitation).where(
        Invitation.questionnaire_id == q.id, Invitation.used.is_(False))).first()
    return {"cases": [(c.id, c.number, code) for c, code in cases],
            "public_token": q.public_token, "invitation": unused.token,
            "reports": [f"/staff/reports/{unit(u).id}" for u in ("land", "compilation")]}


@pytest.fixture
def world(app):
    """A fresh world for each crawl: a crawl changes it as users would (the office closes the
    questionnaire, the administrator reviews a report), and the crawls run in random order."""
    with app.app_context():  # not held during the crawls: they must run as behind a server
        empty_tables()
        made = build_world(app)
        db.session.remove()
    yield made
    with app.app_context():
        empty_tables()
        db.session.remove()


@pytest.fixture
def _clean(app):
    """Replaces the suite's per-test emptying for this module (the world outlives each test);
    the staff accounts are put back after each crawl, since the admin's crawl disables and
    resets them and staff_user is reference data for the whole suite."""
    with app.app_context():
        columns = [c for c in StaffUser.__table__.columns if c.name != "id"]
        saved = {row.id: {c.name: getattr(row, c.name) for c in columns}
                 for row in db.session.scalars(select(StaffUser))}
        db.session.remove()
    yield
    limiter.init_app(app)
    with app.app_context():
        db.session.rollback()
        new = db.session.scalars(select(StaffUser.id).where(StaffUser.id.not_in(saved))).all()
        if new:  # accounts the admin's crawl created, and anything that points at them
            db.session.execute(update(Case).where(Case.handler_id.in_(new)).values(
                handler_id=None))
            db.session.execute(StaffUser.__table__.delete().where(StaffUser.id.in_(new)))
        for user_id, values in saved.items():
            db.session.execute(update(StaffUser).where(StaffUser.id == user_id).values(**values))
        db.session.commit()
        db.session.remove()


def server_like_client(app):
    """A plain test client: each request pushes its own app context and nothing of the test's
    is shared, as behind a real server (the suite's FreshContextClient keeps one open around
    each request, which hides a body streamed after the request's session is gone)."""
    return FlaskClient(app, app.response_class, use_cookies=True)


def citizen_client(app, world, first=False):
    """A browser that proved ten cases' codes (a session keeps ten): the first ten, or the
    last ten, so that two crawls see every case's own page."""
    client = server_like_client(app)
    cases = world["cases"][:10] if first else world["cases"][-10:]
    for _id, number, code in cases:
        assert client.post("/track", data={"number": number, "code": code}).status_code == 302
    return client, ["/", "/file", "/track", "/stats", "/commitments",
                    f"/q/open/{world['public_token']}",
                    *(f"/track/{number}" for _id, number, _code in world["cases"])]


STAFF_ROLES = {"handler": "land_handler", "leader": "land_lead", "office": "office",
               "admin": "admin"}


def crawl_as(app, world, role, first=False):
    if role == "citizen":
        client, starts = citizen_client(app, world, first)
        relogin, skip = None, SKIP
    elif role == "representative":
        client = server_like_client(app)
        starts, relogin, skip = [f"/q/{world['invitation']}", "/q"], None, SKIP
    else:
        username = STAFF_ROLES[role]
        client = login(server_like_client(app), app, username)
        with app.app_context():
            own = staff(username).id
        starts = ["/staff/", *world["reports"],
                  *(f"/staff/cases/{cid}" for cid, _n, _c in world["cases"])]
        skip = [*SKIP, rf"^/staff/admin/users/{own}/"]  # the admin never disables itself

        def relogin():
            login(client, app, username)
    # Staff submit the staff forms; the public ones are the citizen's crawl.
    forms_under = "/staff" if role in STAFF_ROLES else "/"
    crawler = Crawler(client, skip=skip, forms_under=forms_under, relogin=relogin).crawl(starts)
    # Last, the language links: both answer with a redirect to a same-site page.
    for code in ("en", "zh"):
        response = client.get(f"/lang/{code}", query_string={"next": "/"})
        assert response.status_code == 302 and response.headers["Location"] == "/"
    return crawler


# Written out by hand: what each role's crawl must at least have reached, so that a crawl
# that silently stopped at a login page or an empty list cannot pass.
PAGES = {
    "citizen": {"/", "/file", "/track", "/stats", "/commitments", "/track/PY#", "/q/open/TOKEN"},
    "representative": {"/q", "/q/TOKEN"},
    # A section's staff are sent from /staff/reports to their own section's report.
    "handler": {"/staff/board", "/staff/cases", "/staff/cases/#", "/staff/ledger",
                "/staff/reports/#"},
    "leader": {"/staff/board", "/staff/cases", "/staff/cases/#", "/staff/ledger",
               "/staff/reports/#"},
    "office": {"/staff/board", "/staff/triage", "/staff/cases", "/staff/cases/#", "/staff/ledger",
               "/staff/reports", "/staff/appraisal", "/staff/appraisal/#/results",
               "/staff/appraisal/#/letters", "/staff/admin/canned"},
    "admin": {"/staff/board", "/staff/admin/users", "/staff/admin/calendar",
              "/staff/admin/limits"},
}
FORMS = {
    "citizen": {"/file", "/track", "/track/PY#/rate", "/q/open/TOKEN"},
    "representative": {"/q", "/q/TOKEN"},
    "handler": {"/staff/cases/#/sign", "/staff/cases/#/reply", "/staff/ledger/#", "/staff/cases"},
    "leader": {"/staff/cases/#/approve", "/staff/reports/#", "/staff/ledger"},
    "office": {"/staff/cases/#/accept", "/staff/cases/#/release", "/staff/appraisal/#/invite",
               "/staff/appraisal/#/upload", "/staff/reports/#/review", "/staff/cases/new"},
    "admin": {"/staff/admin/users", "/staff/admin/users/#/disable", "/staff/admin/calendar",
              "/staff/admin/limits"},
}
STAFF_FILES = {"text/csv", "image/png", "application/pdf",
               "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
FILES = {
    "citizen": {"image/png", "audio/wav", "image/svg+xml"},  # captcha picture, audio, charts
    "representative": set(),
    "handler": STAFF_FILES, "leader": STAFF_FILES,
    "office": STAFF_FILES | {"image/svg+xml",
                             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    "admin": STAFF_FILES,
}


@pytest.mark.parametrize("role", ["citizen", "representative", "handler", "leader", "office",
                                  "admin"])
def test_crawl_every_page_and_form_without_a_server_error(app, world, role):
    crawlers = [crawl_as(app, world, role)]
    if role == "citizen":  # again with the captcha on: its picture, its audio, its fields
        crawlers.append(crawl_as(make_app(CAPTCHA_ENABLED=True), world, role, first=True))
    problems = [p for c in crawlers for p in c.problems]
    assert not problems, "\n".join(problems)
    # Pages that answered 200, and forms really submitted (not only found before the
    # request budget ran out).
    pages = {pattern(u) for c in crawlers for u in c.pages_read}
    forms = set().union(*(c.submitted for c in crawlers))
    files = set().union(*(c.downloads_opened for c in crawlers))
    assert PAGES[role] <= pages, PAGES[role] - pages
    assert FORMS[role] <= forms, FORMS[role] - forms
    assert FILES[role] <= files, FILES[role] - files

