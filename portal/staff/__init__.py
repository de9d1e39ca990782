"""The staff back office under /staff."""

from . import cases as _cases  # noqa: F401  (registers the case routes on bp)
from .views import bp

__all__ = ["bp"]
