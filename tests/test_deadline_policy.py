"""The deadline policy's numbers come from config: the due-soon horizon (board and digests), the
extension maximum (form, hint and service), and the limits shown in the filing form's hints."""

from datetime import UTC, date, datetime

import pytest

from models import DomainError, db, find_staff
from portal.services import handling, mail
from portal.services.clock import deadline_policy
from tests.appconfig import make_app
from tests.factories import act, login, make_case, unit

FILED = datetime(2026, 6, 24, 2, 0, tzinfo=UTC)  # Wednesday 24 June: acceptance due Friday 26


def configured(app, **overrides):
    return make_app(DEMO_PASSWORDS=app.config["DEMO_PASSWORDS"], **overrides)


@pytest.mark.parametrize("days, until", [(1, date(2026, 6, 25)), (2, date(2026, 6, 26)),
                                         (3, date(2026, 6, 29))])
def test_the_due_soon_horizon_comes_from_config(app, days, until):
    with configured(app, DUE_SOON_WORKING_DAYS=days).app_context():
        assert deadline_policy().due_soon_until(date(2026, 6, 24)) == until


def test_the_digest_asks_the_configured_horizon(app):
    with app.app_context():
        make_case(now=FILED, title="受理期限周五到期")
    with configured(app, DUE_SOON_WORKING_DAYS=1).app_context():
        assert mail.queue_digest(now=FILED) == 0  # due Friday 26, horizon Thursday 25
    with configured(app, DUE_SOON_WORKING_DAYS=2).app_context():
        assert mail.queue_digest(now=FILED) == 1  # horizon Friday 26: the office hears of it
        db.session.remove()


def test_the_extension_maximum_comes_from_config(app, ctx):
    case, _ = make_case()
    office = login(app.test_client(), app, "office")
    assert act(office, case.id, "accept", unit=unit("land").id).status_code == 302
    five = configured(app, EXTENSION_MAX_WORKING_DAYS=5)
    lead = login(five.test_client(), five, "land_lead")
    page = lead.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "1 至 5 个工作日。" in page
    six = act(lead, case.id, "extension", days="6", reason="需要现场踏勘")
    assert six.status_code == 400 and "延期天数应为 1 至 5。" in six.get_data(as_text=True)
    default_lead = login(app.test_client(), app, "land_lead")
    assert "1 至 15 个工作日。" in default_lead.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert act(lead, case.id, "extension", days="5", reason="需要现场踏勘").status_code == 302
    db.session.expire_all()
    assert case.extension_days_requested == 5


def test_the_service_refuses_an_extension_beyond_the_maximum(app, ctx):
    case, _ = make_case()
    handling.accept_case(case, actor=find_staff("office"), unit_id=unit("land").id, now=FILED)
    events = len(case.events)
    with pytest.raises(DomainError, match="延期天数应为 1 至 15 个工作日"):
        handling.request_extension(case, actor=find_staff("land_lead"), days=16, reason="r",
                                   now=FILED)
    db.session.rollback()
    assert (case.extension_days_requested, len(case.events)) == (None, events)


def test_filing_hints_show_the_configured_limits(app):
    page = app.test_client().get("/file").get_data(as_text=True)
    assert "5 至 50 个字，概括您反映的事情。" in page
    assert "10 至 2000 个字：时间、地点、经过、您的诉求。" in page
    assert "可选，最多 3 个，JPG、PNG 或 PDF，每个不超过 5 MB。" in page
    assert 'data-max-count="3"' in page and 'data-max-bytes="5242880"' in page
    two = configured(app, ATTACHMENT_MAX_COUNT=2, ATTACHMENT_MAX_BYTES=2 * 1024 * 1024)
    page = two.test_client().get("/file").get_data(as_text=True)
    assert "可选，最多 2 个，JPG、PNG 或 PDF，每个不超过 2 MB。" in page
    assert 'data-max-count="2"' in page and 'data-too-many="最多 2 个附件，每个不超过 2 MB。"' in page


def test_the_home_page_shows_the_configured_acceptance_limit(app):
    page = configured(app, ACCEPTANCE_WORKING_DAYS=4).test_client().get("/")
    assert "<td>4 个工作日</td>" in page.get_data(as_text=True)
