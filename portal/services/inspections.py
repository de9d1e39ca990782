"""Inspection and hearing records: entering them, supervisors' codes and reports, and turning
each finding into a ledger problem or a routed case (through the ledger's and intake's own
services, so a finding's case is filed and accepted like every other)."""

import logging

from sqlalchemy.exc import IntegrityError

from models import Campaign, Channel, DomainError, Kind, Source, Unit, access, db
from models.access import may_keep_inspections, may_receive
from models.i18n import N_
from models.inspection import (
    Finding,
    Inspection,
    InspectionKind,
    Outcome,
    SupervisorCode,
    claim_finding,
    new_code_values,
)
from portal.services import handling, intake, rectification
from portal.services.clock import local_date
from portal.services.transaction import rolls_back

log = logging.getLogger(__name__)
CASE_KINDS = (Kind.COMPLAINT, Kind.SUGGESTION, Kind.REPORT)
ALREADY_DECIDED = N_("这条发现已经处理过，请刷新页面查看结果。")


def _office(actor):
    if actor is None or not may_keep_inspections(actor):
        raise DomainError(N_("只有评议办可以处理检查记录。"))


def _check_date(held_on, campaign, now):
    if held_on > local_date(now):
        raise DomainError(N_("日期不能晚于今天。"))
    if held_on.year != campaign.year:
        raise DomainError(N_("日期应在本年度评议活动内（%(year)d 年）。"), year=campaign.year)


def _unit(unit_id):
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None or not unit.active or not access.receives_cases(unit):
        raise DomainError(N_("请选择有效的科室。"))
    return unit


@rolls_back
def record_inspection(*, campaign, kind, held_on, place, participants, findings, actor=None,
                      supervisor=None, now):
    """A new record with one finding per section. ``findings`` maps unit ids to what was found
    there; sections left empty get none. Entered by the office (``actor``) or reported by a
    supervisor (``supervisor``, a valid code)."""
    if supervisor is None:
        _office(actor)
    _check_date(held_on, campaign, now)
    texts = {unit_id: text for unit_id, text in findings.items() if text and text.strip()}
    if not texts:
        raise DomainError(N_("请至少填写一个科室的发现。"))
    record = Inspection(campaign_id=campaign.id, kind=InspectionKind(kind).value, held_on=held_on,
                        place=place, participants=participants,
                        recorded_by_id=actor.id if actor else None,
                        supervisor_code_id=supervisor.id if supervisor else None, created_at=now)
    for unit_id, text in texts.items():
        record.findings.append(Finding(unit_id=_unit(unit_id).id, text=text.strip()))
    db.session.add(record)
    db.session.commit()
    log.info("inspection recorded id=%s kind=%s findings=%d", record.id, record.kind, len(texts))
    return record


@rolls_back
def usable_code(code, campaign):
    """Refuse a revoked code or one from another year's campaign, with a reason to show."""
    if code.revoked:
        raise DomainError(N_("该监督员码已停用。如有疑问，请联系评议办。"))
    if campaign is None or code.campaign_id != campaign.id:
        raise DomainError(N_("该监督员码不属于本年度评议活动。"))
    return code


@rolls_back
def supervisor_report(*, code, campaign, unit_id, held_on, place, text, now):
    """A supervisor's report of an unannounced visit, as an inspection record (明查暗访)."""
    usable_code(code, campaign)
    return record_inspection(campaign=campaign, kind=InspectionKind.INSPECTION, held_on=held_on,
                             place=place, participants="", findings={unit_id: text},
                             supervisor=code, now=now)


@rolls_back
def issue_code(*, campaign, name, organisation, actor, now):
    """A new supervisor code for this campaign; a repeated random code is drawn again."""
    _office(actor)
    for _attempt in range(5):
        code_text, token = new_code_values()
        item = SupervisorCode(campaign_id=campaign.id, name=name, organisation=organisation,
                              code=code_text, token=token, created_at=now)
        db.session.add(item)
        try:
            db.session.commit()
            return item
        except IntegrityError:
            db.session.rollback()
    raise DomainError(N_("未能生成监督员码，请重试。"))


@rolls_back
def revoke_code(*, code, actor, now):
    """The code stops working at once; reports already made stay on record."""
    _office(actor)
    if code.revoked:
        raise DomainError(N_("该监督员码已经停用。"))
    code.revoked, code.revoked_at = True, now
    db.session.commit()
    return code


@rolls_back
def finding_to_problem(*, finding, measures, responsible, committed_on, actor, now):
    """The finding as a problem on its section's ledger (source: inspection), linked back."""
    _office(actor)
    if not claim_finding(finding.id, Outcome.PROBLEM, actor.id, now):
        raise DomainError(ALREADY_DECIDED)
    campaign = db.session.get(Campaign, finding.inspection.campaign_id)
    # The claim above is committed together with the problem by the ledger's own service.
    problem = rectification.add_problem(
        unit_id=finding.unit_id, campaign=campaign, source=Source.INSPECTION,
        description=finding.text, measures=measures, responsible=responsible,
        committed_on=committed_on, actor=actor, now=now)
    finding.problem_id = problem.id
    db.session.commit()
    return problem


@rolls_back
def finding_to_case(*, finding, kind, topic_id, title, actor, now):
    """The finding as a case (channel: inspection) filed through intake and accepted through
    handling; assigned to the section at once unless the routing rule forbids it (a report
    of misconduct never goes to the section it accuses: the office keeps it). Returns
    (case, assigned)."""
    _office(actor)
    if Kind(kind) not in CASE_KINDS:
        raise DomainError(N_("请选择有效的类别。"))
    if not claim_finding(finding.id, Outcome.CASE, actor.id, now):
        raise DomainError(ALREADY_DECIDED)
    fields = {"kind": Kind(kind).value, "channel": Channel.INSPECTION.value, "topic_id": topic_id,
              "title": title, "content": finding.text, "target_unit_id": finding.unit_id}
    # Filing commits the claim together with the new case, so a finding never yields two.
    case, _code = intake.file_case(fields=fields, actor=actor, now=now)
    finding.case_id = case.id
    unit = finding.unit
    assigned = may_receive(case, unit)
    handling.accept_case(case, actor=actor, unit_id=unit.id if assigned else None, now=now)
    return case, assigned
