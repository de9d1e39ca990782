"""The portal's Flask class: Flask, with the sync check of each hook and view made once.

Flask asks ``inspect.iscoroutinefunction`` of every before- and after-request hook, teardown
and view on every request (about eight per public page, a twentieth of its own time). The
functions are registered once, so the answer is kept per function."""

from flask import Flask

_MAX_KEPT = 1024  # hooks and views are a few hundred; after_this_request closures are not kept


class PortalFlask(Flask):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sync_kept = {}

    def ensure_sync(self, func):
        try:
            kept = self._sync_kept.get(func)
        except TypeError:  # an unhashable callable: asked every time, as Flask does
            return super().ensure_sync(func)
        if kept is None:
            kept = super().ensure_sync(func)
            if len(self._sync_kept) >= _MAX_KEPT:
                self._sync_kept.clear()
            self._sync_kept[func] = kept
        return kept
