"""The staff back office under /staff."""

# The modules below add their routes to bp when imported.
from . import admin, case_views, cases, entry  # noqa: F401
from .views import bp

__all__ = ["bp"]
