"""Local dates and the deadline policy: stored times are UTC, deadlines count days in the
bureau's zone, and the policy's numbers of days come from config."""

from zoneinfo import ZoneInfo

from flask import current_app

from models.deadlines import DeadlinePolicy, load_calendar, time_limits
from portal.services.reference_cache import cached


def local_date(moment):
    return moment.astimezone(ZoneInfo(current_app.config["PORTAL_TIMEZONE"])).date()


def deadline_policy():
    """The one deadline policy every service, list, digest and form asks; built once per
    worker while the reference data stays the same."""
    return cached("deadline_policy", _build_policy)


def _build_policy():
    config = current_app.config
    return DeadlinePolicy(
        calendar=load_calendar(),
        reply_days=time_limits(),
        acceptance_days=config["ACCEPTANCE_WORKING_DAYS"],
        extension_max=config["EXTENSION_MAX_WORKING_DAYS"],
        due_soon_days=config["DUE_SOON_WORKING_DAYS"],
        rating_window=config["RATING_WINDOW_WORKING_DAYS"],
    )
