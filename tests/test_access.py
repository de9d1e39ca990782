"""The permission rules of models/access.py, called directly, against tables written out by hand
from domain.md: the office (and the administrator) see every unit, a unit sees only its own; the
unit leader names handlers, asks for extensions and writes the unit's report. And the services
refuse what the rules refuse even when no view stands in front of them."""

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from models import CaseEvent, Reply, access, db
from models.base import DomainError
from models.i18n import N_
from models.report import SelfReport
from models.workflow import InvalidTransition, check_move
from portal.services import handling, reports
from portal.web.errors import message
from tests.factories import NOW, make_case, staff, unit

LAND, COMPILATION = 4, 3


def _user(role, unit_id=None):
    return SimpleNamespace(role=role, unit_id=unit_id, id=70)


def _case(unit_id, status="assigned", extended=False, requested=None):
    return SimpleNamespace(unit_id=unit_id, status=status, extended=extended,
                           extension_days_requested=requested)


# role -> (is_office, is_admin, is_leader)
ROLE_TABLE = [
    ("admin", True, True, False),
    ("office", True, False, False),
    ("leader", False, False, True),
    ("handler", False, False, False),
]


@pytest.mark.parametrize(("role", "office", "admin", "leader"), ROLE_TABLE)
def test_role_sets(role, office, admin, leader):
    user = _user(role, LAND)
    assert (access.is_office(user), access.is_admin(user), access.is_leader(user)) == (
        office, admin, leader)


def test_the_role_sets_views_require():
    assert {r.value for r in access.OFFICE_ROLES} == {"admin", "office"}
    assert {r.value for r in access.ADMIN_ROLES} == {"admin"}
    assert {r.value for r in access.LEADER_ROLES} == {"leader"}
    assert {r.value for r in access.UNIT_ROLES} == {"leader", "handler"}


# (role, the user's unit, the case's unit) -> may see it
SEE_TABLE = [
    ("office", None, LAND, True),
    ("office", None, None, True),  # not yet assigned: the office's own triage
    ("admin", None, COMPILATION, True),
    ("leader", LAND, LAND, True),
    ("leader", LAND, COMPILATION, False),
    ("leader", LAND, None, False),
    ("handler", LAND, LAND, True),
    ("handler", COMPILATION, LAND, False),
    ("handler", None, None, False),  # unit staff without a unit see nothing
    ("handler", None, LAND, False),
]


@pytest.mark.parametrize(("role", "own_unit", "case_unit", "expected"), SEE_TABLE)
def test_who_may_see_a_case(role, own_unit, case_unit, expected):
    user = _user(role, own_unit)
    assert access.may_see(user, _case(case_unit)) is expected
    assert access.may_see_problem(user, SimpleNamespace(unit_id=case_unit)) is expected


@pytest.mark.parametrize(("role", "own_unit", "fence"), [
    ("office", None, None), ("admin", LAND, None), ("leader", LAND, LAND),
    ("handler", COMPILATION, COMPILATION), ("handler", None, -1)])
def test_the_unit_fence_of_lists(role, own_unit, fence):
    assert access.case_fence(_user(role, own_unit)) == fence


def test_which_units_receive_cases_and_whose_a_user_may_record():
    office_unit = SimpleNamespace(id=1, appraised=False)
    land = SimpleNamespace(id=LAND, appraised=True)
    compilation = SimpleNamespace(id=COMPILATION, appraised=True)
    units = [office_unit, compilation, land]
    assert access.receiving_units(units) == [compilation, land]
    assert access.receives_cases(office_unit) is False
    assert access.units_for(_user("office"), units) == [compilation, land]
    assert access.units_for(_user("leader", LAND), units) == [land]
    assert access.units_for(_user("handler", None), units) == []


# (role, the user's unit, the case's status) -> may name the handler
HANDLER_TABLE = [
    ("leader", LAND, "assigned", True),
    ("leader", LAND, "signed", True),
    ("leader", LAND, "in_progress", True),
    ("leader", LAND, "reply_drafted", True),
    ("leader", LAND, "reopened", True),
    ("leader", LAND, "reply_approved", False),  # the office holds it now
    ("leader", LAND, "replied", False),
    ("leader", COMPILATION, "in_progress", False),  # not their unit's case
    ("handler", LAND, "in_progress", False),
    ("office", None, "in_progress", False),
    ("admin", None, "assigned", False),
]


@pytest.mark.parametrize(("role", "own_unit", "status", "expected"), HANDLER_TABLE)
def test_only_the_unit_leader_names_a_handler_or_asks_for_more_time(role, own_unit, status,
                                                                    expected):
    user = _user(role, own_unit)
    assert access.may_name_handler(user, _case(LAND, status)) is expected
    assert access.may_ask_extension(user, _case(LAND, status)) is expected


@pytest.mark.parametrize(("active", "own_unit", "expected"), [
    (True, LAND, True), (False, LAND, False), (True, COMPILATION, False), (True, None, False)])
def test_who_may_be_named_the_handler(active, own_unit, expected):
    assert access.may_handle(SimpleNamespace(active=active, unit_id=own_unit),
                             _case(LAND)) is expected
    assert access.may_handle(None, _case(LAND)) is False


# (role, the user's unit, the case's status) -> may draft the reply
DRAFT_TABLE = [
    ("handler", LAND, "in_progress", True),
    ("leader", LAND, "in_progress", True),
    ("handler", LAND, "signed", False),
    ("handler", LAND, "reply_drafted", False),
    ("handler", COMPILATION, "in_progress", False),
    ("office", None, "in_progress", False),
    ("admin", None, "in_progress", False),
]


@pytest.mark.parametrize(("role", "own_unit", "status", "expected"), DRAFT_TABLE)
def test_the_units_own_staff_draft_the_reply(role, own_unit, status, expected):
    assert access.may_draft_reply(_user(role, own_unit), _case(LAND, status)) is expected


def test_an_extension_is_asked_for_once():
    leader = _user("leader", LAND)
    assert access.may_ask_extension(leader, _case(LAND, "in_progress", extended=True)) is False
    assert access.may_ask_extension(leader, _case(LAND, "in_progress", requested=3)) is False


@pytest.mark.parametrize(("role", "own_unit", "expected"), [
    ("leader", LAND, True), ("leader", COMPILATION, False), ("handler", LAND, False),
    ("office", None, False), ("admin", None, False)])
def test_the_report_is_written_by_its_units_leader(role, own_unit, expected):
    assert access.may_write_report(_user(role, own_unit), LAND) is expected


def _events(case):
    return db.session.scalar(select(func.count()).select_from(CaseEvent).where(
        CaseEvent.case_id == case.id))


def _signed_land_case():
    case, _code = make_case()
    handling.accept_case(case, actor=staff("office"), unit_id=unit("land").id, now=NOW)
    handling.sign_case(case, actor=staff("land_handler"), now=NOW)
    return case


@pytest.mark.parametrize(("who", "reason"), [
    ("land_handler", "只有科室负责人可以指定承办人。"),
    ("office", "只有科室负责人可以指定承办人。"),
    ("compilation_lead", "该事项不属于您的科室。"),  # another unit's leader: the fence first
])
def test_the_service_refuses_a_handler_named_by_anyone_but_the_unit_leader(ctx, who, reason):
    case = _signed_land_case()
    before = _events(case)
    # filed, accepted, assigned, signed (the handler who signs becomes the handler)
    assert (case.handler_id, before) == (staff("land_handler").id, 4)
    with pytest.raises(DomainError) as refused:
        handling.set_handler(case, actor=staff(who), handler=staff("land_lead"), now=NOW)
    assert str(refused.value) == reason
    db.session.refresh(case)
    assert (case.handler_id, _events(case)) == (staff("land_handler").id, 4)

    handling.set_handler(case, actor=staff("land_lead"), handler=staff("land_lead"), now=NOW)
    assert (case.handler_id, _events(case)) == (staff("land_lead").id, 5)


def test_the_service_refuses_an_extension_asked_for_by_a_handler(ctx):
    case = _signed_land_case()
    with pytest.raises(DomainError) as refused:
        handling.request_extension(case, actor=staff("land_handler"), days=3, reason="需现场核实",
                                   now=NOW)
    assert str(refused.value) == "只有科室负责人可以申请延期。"
    db.session.refresh(case)
    assert case.extension_days_requested is None


def test_the_service_refuses_a_draft_by_the_office(ctx):
    case = _signed_land_case()
    handling.start_case(case, actor=staff("land_handler"), now=NOW)
    with pytest.raises(DomainError) as refused:
        handling.save_draft(case, actor=staff("office"), body_html="<p>办公室写的</p>", now=NOW)
    assert str(refused.value) == "答复由本科室人员起草。"
    assert db.session.scalars(select(Reply.body_html).where(Reply.case_id == case.id)).all() == []
    handling.save_draft(case, actor=staff("land_handler"), body_html="<p>答复</p>", now=NOW)
    assert db.session.scalars(select(Reply.body_html).where(Reply.case_id == case.id)).all() == [
        "<p>答复</p>"]


def test_a_refused_service_leaves_nothing_in_the_session(ctx):
    from models import current_campaign
    from portal.services.clock import local_date

    campaign = current_campaign(local_date(NOW))
    with pytest.raises(DomainError) as refused:  # submitting with empty sections is refused
        reports.save_report(unit_id=unit("land").id, campaign=campaign, sections={},
                            actor=staff("land_lead"), submit=True, now=NOW)
    assert str(refused.value) == "报送前请填写全部四个部分。"
    # The new report the service had added before it refused is gone with the rollback.
    assert (list(db.session.new), list(db.session.dirty)) == ([], [])
    assert db.session.scalars(select(SelfReport)).all() == []


def test_messages_are_translated_where_they_are_shown(app):
    refused = DomainError(N_("用户名 %(name)s 已被使用。"), name="lisi")
    assert str(refused) == "用户名 lisi 已被使用。"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        from flask import session

        session["lang"] = "en"
        assert message(refused) == "The username lisi is taken."
        with pytest.raises(InvalidTransition) as wrong_move:
            check_move("submitted", "closed", "office")
        assert message(wrong_move.value) == "Cannot move from submitted to closed as office."
