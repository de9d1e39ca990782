"""The public site: home page, filing, captcha, status lookup, questionnaires, statistics."""

from portal.public import (  # noqa: F401  (add their routes to bp)
    appraisal_views,
    code_reset,
    letters,
    supervise,
)
from portal.public.views import bp

__all__ = ["bp"]
