"""Supervision pages: the escalation list of the leadership group (领导小组)."""

from flask import abort, current_app, render_template
from flask_login import current_user

from models import access, utcnow
from models.supervision import urge_counts
from portal.auth import staff_required
from portal.services import supervision
from portal.staff.views import bp


@bp.get("/escalations")
@staff_required()
def escalations():
    """Cases overdue by more than the configured working days, for the office and the
    leadership group; everyone else is refused."""
    if not access.sees_escalations(current_user):
        abort(403)
    rows = supervision.escalation_list(now=utcnow())
    return render_template("staff/escalations.html", rows=rows,
                           urged=urge_counts([case.id for case, _days in rows]),
                           days=current_app.config["ESCALATION_WORKING_DAYS"])
