"""The rectification ledger: recording problems, their progress and evidence, and the office's
review that puts a commitment on the public /commitments page."""

from flask import current_app

from models import (
    DomainError,
    EvidenceFile,
    FieldError,
    Problem,
    ProblemUpdate,
    Progress,
    Source,
    access,
    db,
)
from models.i18n import N_
from portal.abuse import uploads
from portal.services.clock import local_date
from portal.services.transaction import rolls_back


@rolls_back
def add_problem(*, unit_id, campaign, source, description, measures, responsible, committed_on,
                actor, source_case=None, now):
    """Enter a problem; a commitment dated before today would be overdue the day it is made,
    so it is refused (the public would read a promise already broken)."""
    if not access.may_see_unit(actor, unit_id):
        raise DomainError(N_("只能登记本科室的问题。"))
    if committed_on < local_date(now):
        raise FieldError(N_("承诺整改时限不能早于今天（%(today)s）。"), "committed_on",
                         today=local_date(now).isoformat())
    if source_case is not None and source_case.unit_id != unit_id:
        raise DomainError(N_("所引用的事项不属于该科室。"))
    problem = Problem(unit_id=unit_id, campaign_id=campaign.id, source=Source(source).value,
                      source_case_id=source_case.id if source_case else None,
                      description=description, measures=measures, responsible=responsible,
                      committed_on=committed_on, created_at=now)
    db.session.add(problem)
    db.session.commit()
    return problem


def _check_progress(problem, progress, evidence, files, plan, reason):
    if progress is Progress.DONE and not (evidence or problem.evidence).strip() and not (
            files or problem.evidence_files):
        raise FieldError(N_("标记为已完成时请填写整改佐证或上传佐证材料。"), "evidence")
    if progress is Progress.NOT_RIPE:
        if not plan.strip():
            raise FieldError(N_("条件不成熟的问题请填写下一步计划。"), "unripe_plan")
        if not reason.strip():
            raise FieldError(N_("条件不成熟的问题请向群众说明原因。"), "unripe_reason")


@rolls_back
def update_problem(*, problem, progress, evidence, note, actor, now, files=(), plan="",
                   reason=""):
    """Record progress. 'Done' needs evidence (text or files) and closes the item today;
    'conditions not ripe' needs a plan and an explanation, which the public reads. Files are
    ones ``uploads.prepare`` has checked, as for a filing."""
    if not access.may_see_problem(actor, problem):
        raise DomainError(N_("只能更新本科室的问题。"))
    progress = Progress(progress)
    _check_progress(problem, progress, evidence, files, plan, reason)
    problem.progress = progress.value
    if evidence:
        problem.evidence = evidence
    if progress is Progress.NOT_RIPE:
        problem.unripe_plan, problem.unripe_reason = plan.strip(), reason.strip()
    problem.closed_on = local_date(now) if progress is Progress.DONE else None
    folder = current_app.config["UPLOAD_FOLDER"]
    stored = [uploads.store(folder, item) for item in files]
    try:
        for item, name in zip(files, stored, strict=True):
            db.session.add(EvidenceFile(problem_id=problem.id, stored_name=name,
                                        original_name=item.original_name, mime=item.mime,
                                        size=len(item.data), added_at=now, added_by_id=actor.id))
        db.session.add(ProblemUpdate(problem_id=problem.id, at=now, actor_id=actor.id,
                                     progress=problem.progress, note=note))
        db.session.commit()
    except Exception:
        db.session.rollback()
        uploads.remove(folder, stored)
        raise
    return problem


@rolls_back
def review_problem(*, problem, actor, now):
    """The office reviews a commitment (审核): from then on the public reads it."""
    if not access.is_office(actor):
        raise DomainError(N_("整改承诺由评议办审核。"))
    if problem.reviewed_at is not None:
        raise DomainError(N_("该整改承诺已审核公开。"))
    problem.reviewed_at, problem.reviewed_by_id = now, actor.id  # who and when: the record
    db.session.commit()
    return problem
