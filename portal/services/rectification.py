"""The rectification ledger: recording problems and their progress."""

from models import DomainError, Problem, ProblemUpdate, Progress, Source, access, db
from models.i18n import N_
from portal.services.clock import local_date
from portal.services.transaction import rolls_back


@rolls_back
def add_problem(*, unit_id, campaign, source, description, measures, responsible, committed_on,
                actor, source_case=None, now):
    if not access.may_see_unit(actor, unit_id):
        raise DomainError(N_("只能登记本科室的问题。"))
    if source_case is not None and source_case.unit_id != unit_id:
        raise DomainError(N_("所引用的事项不属于该科室。"))
    problem = Problem(unit_id=unit_id, campaign_id=campaign.id, source=Source(source).value,
                      source_case_id=source_case.id if source_case else None,
                      description=description, measures=measures, responsible=responsible,
                      committed_on=committed_on, created_at=now)
    db.session.add(problem)
    db.session.commit()
    return problem


@rolls_back
def update_problem(*, problem, progress, evidence, note, actor, now):
    """Record progress; 'done' needs evidence and closes the item with today's date."""
    if not access.may_see_problem(actor, problem):
        raise DomainError(N_("只能更新本科室的问题。"))
    if Progress(progress) is Progress.DONE and not (evidence or problem.evidence).strip():
        raise DomainError(N_("标记为已完成时请填写整改佐证。"))
    problem.progress = Progress(progress).value
    if evidence:
        problem.evidence = evidence
    problem.closed_on = local_date(now) if problem.progress == Progress.DONE else None
    db.session.add(ProblemUpdate(problem_id=problem.id, at=now, actor_id=actor.id,
                                 progress=problem.progress, note=note))
    db.session.commit()
    return problem
