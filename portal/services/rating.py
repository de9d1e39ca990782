"""The citizen rates a reply; replies left unrated past the window close as 'no rating'."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import Case, DomainError, Status, db
from models.i18n import N_
from models.reply import Rating, RatingValue, rating_of, released_reply
from portal.services.clock import deadline_policy, local_date
from portal.services.transaction import rolls_back


def rating_open(case, policy, today):
    """Whether the citizen may still rate: a released reply within the rating window."""
    if case.status != Status.REPLIED or case.replied_on is None:
        return False
    return policy.rating_open(case.replied_on, today)


ALREADY_RATED = N_("这条答复已经评价过，每条答复只能评价一次。")


@rolls_back
def rate_case(case, *, value, reason, now):
    reply = released_reply(case.id)
    if reply is not None and rating_of(reply.id) is not None:
        raise DomainError(ALREADY_RATED)
    if not rating_open(case, deadline_policy(), local_date(now)):
        raise DomainError(N_("该事项目前不能评价（尚未答复、已评价或已超过评价期限）。"))
    if RatingValue(value) is RatingValue.UNSATISFIED and not reason.strip():
        raise DomainError(N_("选择“不满意”时请说明原因。"))
    reply_id = reply.id
    db.session.add(Rating(case_id=case.id, reply_id=reply_id, value=value, reason=reason, at=now))
    try:
        # Flushed before the move so that a rating stored meanwhile by a simultaneous request
        # (the unique reply_id) stops this one here, before its "rated" event is written.
        db.session.flush()
        case.rate(value, reason=reason, at=now)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if rating_of(reply_id) is None:
            raise
        raise DomainError(ALREADY_RATED) from None
    return case


@rolls_back
def close_unrated(*, now):
    """Close replied cases whose rating window has passed; they count as not rated, never as
    satisfied. Safe to run any number of times a day."""
    policy, today = deadline_policy(), local_date(now)
    stmt = select(Case).where(Case.status == Status.REPLIED.value)
    closed = 0
    for case in db.session.scalars(stmt):
        if not policy.rating_open(case.replied_on, today):
            case.close_unrated(at=now)
            closed += 1
    db.session.commit()
    return closed
