"""The staff back office under /staff."""

# The modules below add their routes to bp when imported.
from portal.staff import (  # noqa: F401
    admin,
    api_keys,
    appraisal,
    appraisal_weights,
    case_views,
    cases,
    home,
    inspections,
    ledger,
    manual_entry,
    notices,
    published_letters,
    reports,
    search,
    supervision,
    users,
)
from portal.staff.views import bp

__all__ = ["bp"]
