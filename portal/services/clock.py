"""Local dates for deadlines: stored times are UTC, deadlines count days in the bureau's zone."""

from zoneinfo import ZoneInfo

from flask import current_app


def local_date(moment):
    return moment.astimezone(ZoneInfo(current_app.config["PORTAL_TIMEZONE"])).date()
