"""The public site: home page, filing, captcha, status lookup."""

from .views import bp

__all__ = ["bp"]
