"""The public site: home page, filing, captcha, status lookup, questionnaires, statistics."""

from . import appraisal_views  # noqa: F401  (adds its routes to bp)
from .views import bp

__all__ = ["bp"]
