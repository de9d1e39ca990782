"""The Open311 GeoReport v2 API for partner systems, under /open311/v2."""

from portal.api.open311 import bp

__all__ = ["bp"]
