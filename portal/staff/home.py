"""The staff home (工作台): what waits on the signed-in person, counted, each count a link to
the list that shows exactly those cases."""

from flask import current_app, render_template
from flask_login import current_user

from models import Status, access, active_units, load_calendar, workload
from models.supervision import escalation_cutoff
from portal.auth import staff_required
from portal.staff.cases import deadline_marks, fence
from portal.staff.views import bp

# The statuses that wait on someone, in the order of the office's day.
STATUS_TILES = (Status.SUBMITTED, Status.ACCEPTED, Status.RETURNED, Status.REPLY_DRAFTED,
                Status.REPLY_APPROVED)


@bp.get("/home")
@staff_required()
def home():
    marks, walled = deadline_marks(), fence()
    cutoff = escalation_cutoff(marks["today"], current_app.config["ESCALATION_WORKING_DAYS"],
                               load_calendar())
    by_unit = workload.unit_counts(marks["today"], marks["soon"], walled)
    units = [u for u in active_units() if u.id in by_unit]
    return render_template(
        "staff/home.html",
        statuses=workload.status_counts(walled),
        status_tiles=STATUS_TILES,
        deadlines=workload.deadline_counts(marks["today"], marks["soon"], cutoff, walled),
        extensions=workload.extension_requests(walled),
        by_unit=by_unit,
        units=units,
        all_statuses=list(Status),
        sees_escalations=access.sees_escalations(current_user),
        escalation_days=current_app.config["ESCALATION_WORKING_DAYS"],
    )
