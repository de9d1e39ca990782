"""The public site: home page, filing, captcha, status lookup, questionnaires, statistics."""

from portal.public import appraisal_views, supervise  # noqa: F401  (add their routes to bp)
from portal.public.views import bp

__all__ = ["bp"]
