"""A report of misconduct (举报) never reaches the unit it accuses, and whoever may not see a
complainant's contact details does not see the attachments' own names either."""

import io
import re

import pytest
from sqlalchemy import func, select

from models import Attachment, Case, CaseEvent, OutboxMessage, db
from models.access import FULL, HIDDEN, MASKED, contact_view, may_receive, shown_attachment_name
from portal.services import handling
from tests.factories import NOW, act, form_data, login, make_case, staff, unit

REFUSED = "举报件不能交办给被举报的科室：请由评议办自行处理，或交办给其他科室。"
SECRET_FILE = "李四的举报材料.pdf"
PDF = b"%PDF-1.4\n%%EOF\n"


def _filed_with_attachment(app, **overrides):
    """A case filed through the public form with one PDF named after its sender."""
    data = form_data(**overrides)
    data["attachments"] = [(io.BytesIO(PDF), SECRET_FILE)]
    response = app.test_client().post("/file", data=data, content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    db.session.expire_all()
    attachment = db.session.scalars(select(Attachment)).one()
    return db.session.get(Case, attachment.case_id), attachment


def _report(app):
    return _filed_with_attachment(app, kind="report", name="李四", phone="13911112222",
                                  email="lisi@example.com")


def _events(case):
    return db.session.scalar(select(func.count()).select_from(CaseEvent).where(
        CaseEvent.case_id == case.id))


def _unit_options(page, form_action):
    """The unit ids offered by the select of one step's form on the case page."""
    form = re.search(rf'action="[^"]*/{form_action}".*?</form>', page, re.S).group(0)
    return {int(v) for v in re.findall(r'<option[^>]*value="(\d+)"', form)}


def test_the_office_cannot_assign_a_report_to_the_unit_it_accuses(app, ctx):
    case, _ = _report(app)
    office_user = staff("office")
    with pytest.raises(handling.DomainError) as refused:
        handling.accept_case(case, actor=office_user, unit_id=unit("land").id, now=NOW)
    assert str(refused.value) == REFUSED
    db.session.rollback()
    db.session.refresh(case)
    assert case.status == "submitted" and case.unit_id is None and _events(case) == 1
    mails_before = db.session.scalar(select(func.count()).select_from(OutboxMessage))

    handling.accept_case(case, actor=office_user, now=NOW)  # kept by the office for now
    with pytest.raises(handling.DomainError) as refused:
        handling.assign_case(case, actor=office_user, unit_id=unit("land").id, now=NOW)
    assert str(refused.value) == REFUSED
    db.session.rollback()
    db.session.refresh(case)
    assert case.status == "accepted" and case.unit_id is None and _events(case) == 2
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == mails_before + 1

    handling.assign_case(case, actor=office_user, unit_id=unit("compilation").id, now=NOW)
    db.session.refresh(case)
    assert case.status == "assigned" and case.unit_id == unit("compilation").id


def test_the_triage_forms_do_not_offer_the_accused_unit(app, ctx):
    case, _ = _report(app)
    office = login(app.test_client(), app, "office")
    page = office.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    offered = _unit_options(page, "accept")
    assert unit("land").id not in offered and unit("compilation").id in offered
    # A forged choice of the accused unit changes nothing.
    assert act(office, case.id, "accept", unit=unit("land").id).status_code == 400
    db.session.expire_all()
    assert db.session.get(Case, case.id).status == "submitted" and _events(case) == 1
    assert act(office, case.id, "accept").status_code == 302
    page = office.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    offered = _unit_options(page, "assign")
    assert unit("land").id not in offered and unit("compilation").id in offered
    # A complaint may go to the unit it is about.
    complaint, _ = make_case()
    page = office.get(f"/staff/cases/{complaint.id}").get_data(as_text=True)
    assert unit("land").id in _unit_options(page, "accept")


def _download_name(client, attachment):
    response = client.get(f"/staff/attachments/{attachment.id}")
    assert response.status_code == 200 and response.data == PDF
    return response.headers["Content-Disposition"]


def test_a_report_routed_to_another_unit_hides_reporter_and_file_names(app, ctx):
    case, attachment = _report(app)
    office = login(app.test_client(), app, "office")
    assert act(office, case.id, "accept", unit=unit("compilation").id).status_code == 302
    page = office.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "13911112222" in page and SECRET_FILE in page
    assert "filename*=UTF-8''%E6%9D%8E%E5%9B%9B" in _download_name(office, attachment)

    for username in ("compilation_lead", "compilation_handler"):
        client = login(app.test_client(), app, username)
        page = client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
        assert "李四" not in page and "13911112222" not in page and "lisi@" not in page
        assert "身份对被举报科室保密" in page
        assert ">附件1.pdf</a>" in page
        disposition = _download_name(client, attachment)
        assert disposition.endswith("filename*=UTF-8''%E9%99%84%E4%BB%B61.pdf"), disposition
        assert "%E6%9D%8E%E5%9B%9B" not in disposition  # 李四
    # The accused unit never gets it at all.
    for username in ("land_lead", "land_handler"):
        client = login(app.test_client(), app, username)
        assert client.get(f"/staff/cases/{case.id}").status_code == 404
        assert client.get(f"/staff/attachments/{attachment.id}").status_code == 404


def test_handlers_not_on_a_complaint_see_generic_file_names(app, ctx):
    case, attachment = _filed_with_attachment(app, name="李四", phone="13911112222")
    office = login(app.test_client(), app, "office")
    act(office, case.id, "accept", unit=unit("land").id)
    mate = staff("compilation_handler")
    mate.unit_id = unit("land").id  # a second handler in the same unit, not on this case
    db.session.commit()
    try:
        lead = login(app.test_client(), app, "land_lead")
        assert act(lead, case.id, "handler", handler=str(staff("land_handler").id)).status_code == 302
        other = login(app.test_client(), app, "compilation_handler")
        page = other.get(f"/staff/cases/{case.id}").get_data(as_text=True)
        assert "139****2222" in page and "13911112222" not in page
        assert ">附件1.pdf</a>" in page and SECRET_FILE not in page
        assert _download_name(other, attachment).endswith(
            "filename*=UTF-8''%E9%99%84%E4%BB%B61.pdf")
        english = other.get("/lang/en?next=/staff/board")
        assert english.status_code == 302
        page = other.get(f"/staff/cases/{case.id}").get_data(as_text=True)
        assert ">Attachment 1.pdf</a>" in page
        for client in (lead, login(app.test_client(), app, "land_handler")):
            page = client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
            assert "13911112222" in page and f">{SECRET_FILE}</a>" in page
            assert "%E6%9D%8E%E5%9B%9B" in _download_name(client, attachment)
    finally:
        mate.unit_id = unit("compilation").id
        db.session.commit()


def test_a_report_entered_by_hand_follows_the_same_rule(app, ctx):
    office = login(app.test_client(), app, "office")
    page = office.get("/staff/cases/new").get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page).group(1)
    data = form_data(kind="report", channel="phone", name="李四", phone="13911112222",
                     submission_key=key)
    data["attachments"] = [(io.BytesIO(PDF), SECRET_FILE)]
    assert office.post("/staff/cases/new", data=data,
                       content_type="multipart/form-data").status_code == 200
    case = db.session.scalars(select(Case).where(Case.channel == "phone")).one()
    assert case.kind == "report" and case.target_unit_id == unit("land").id
    assert act(office, case.id, "accept", unit=unit("land").id).status_code == 400
    with pytest.raises(handling.DomainError, match=REFUSED):
        handling.accept_case(case, actor=staff("office"), unit_id=unit("land").id, now=NOW)
    db.session.rollback()
    assert act(office, case.id, "accept", unit=unit("compilation").id).status_code == 302
    lead = login(app.test_client(), app, "compilation_lead")
    page = lead.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert ">附件1.pdf</a>" in page and "李四" not in page and "13911112222" not in page


class _Viewer:
    def __init__(self, role, unit_id=None, id=0):
        self.role, self.unit_id, self.id = role, unit_id, id

    @property
    def is_office(self):
        return self.role in ("office", "admin")


class _Case:
    def __init__(self, kind, target_unit_id=None, handler_id=None):
        self.kind, self.target_unit_id, self.handler_id = kind, target_unit_id, handler_id


class _Unit:
    def __init__(self, id, parent=None):
        self.id, self.parent = id, parent


# (kind, viewer role, viewer is the case's handler) -> what the viewer sees, written out by hand.
CONTACT_TABLE = [
    ("complaint", "office", False, FULL),
    ("complaint", "leader", False, FULL),
    ("complaint", "handler", True, FULL),
    ("complaint", "handler", False, MASKED),
    ("report", "office", False, FULL),
    ("report", "leader", False, HIDDEN),
    ("report", "handler", True, HIDDEN),
    ("report", "handler", False, HIDDEN),
    ("suggestion", "handler", False, MASKED),
]


@pytest.mark.parametrize(("kind", "role", "own", "expected"), CONTACT_TABLE)
def test_contact_view_table(kind, role, own, expected):
    viewer = _Viewer(role, unit_id=3, id=7)
    case = _Case(kind, target_unit_id=4, handler_id=7 if own else 8)
    assert contact_view(viewer, case) == expected
    attachment = type("A", (), {"id": 1, "original_name": SECRET_FILE, "stored_name": "ab.pdf"})()
    shown = shown_attachment_name(viewer, case, attachment, 2)
    assert shown == (SECRET_FILE if expected == FULL else "附件2.pdf")


def test_which_units_may_receive_a_case():
    land, compilation = _Unit(4), _Unit(3)
    land_team = _Unit(9, parent=land)
    assert may_receive(_Case("report", target_unit_id=4), land) is False
    assert may_receive(_Case("report", target_unit_id=4), land_team) is False
    assert may_receive(_Case("report", target_unit_id=4), compilation) is True
    assert may_receive(_Case("report", target_unit_id=None), land) is True  # accuses nobody
    assert may_receive(_Case("complaint", target_unit_id=4), land) is True
    assert may_receive(_Case("suggestion", target_unit_id=4), land) is True  # opinions
