"""The staff back office under /staff."""

# The modules below add their routes to bp when imported.
from portal.staff import (  # noqa: F401
    admin,
    appraisal,
    case_views,
    cases,
    inspections,
    ledger,
    manual_entry,
    reports,
    users,
)
from portal.staff.views import bp

__all__ = ["bp"]
