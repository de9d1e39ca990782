"""The public site: home page, filing, captcha, status lookup, questionnaires, statistics."""

from portal.public import appraisal_views, code_reset, letters  # noqa: F401  (add routes to bp)
from portal.public.views import bp

__all__ = ["bp"]
