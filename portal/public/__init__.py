"""The public site: home page, filing, captcha, status lookup, questionnaires, statistics."""

from portal.public import appraisal_views  # noqa: F401  (adds its routes to bp)
from portal.public.views import bp

__all__ = ["bp"]
