"""Campaign notices: the office publishes them (with attachments checked as at filing) and
withdraws them."""

from flask import current_app

from models import DomainError, db
from models.access import may_publish
from models.i18n import N_
from models.notices import Notice, NoticeAttachment
from portal.abuse import uploads
from portal.services.transaction import rolls_back


def _office_only(actor):
    if not may_publish(actor):
        raise DomainError(N_("只有评议办可以发布通知。"))


@rolls_back
def publish_notice(*, actor, title, body, dated_on, attachments=(), now):
    """A new notice, shown from ``dated_on``; ``attachments`` are files already passed by
    ``uploads.prepare`` (the filing form's checks)."""
    _office_only(actor)
    folder = current_app.config["UPLOAD_FOLDER"]
    stored = [uploads.store(folder, item) for item in attachments]
    try:
        notice = Notice(title=title, body=body, dated_on=dated_on, created_at=now,
                        created_by_id=actor.id)
        for item, name in zip(attachments, stored, strict=True):
            notice.attachments.append(NoticeAttachment(
                stored_name=name, original_name=item.original_name, mime=item.mime,
                size=len(item.data)))
        db.session.add(notice)
        db.session.commit()
    except Exception:
        db.session.rollback()
        uploads.remove(folder, stored)
        raise
    return notice


@rolls_back
def withdraw_notice(notice, *, actor):
    _office_only(actor)
    if notice.withdrawn:
        raise DomainError(N_("该通知已撤下。"))
    notice.withdrawn = True
    db.session.commit()
    return notice
