"""The staff back office under /staff."""

# The modules below add their routes to bp when imported.
from . import admin, appraisal, case_views, cases, entry, ledger, reports, users  # noqa: F401
from .views import bp

__all__ = ["bp"]
