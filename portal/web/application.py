"""The portal's Flask class: Flask, with the sync check of each hook and view made once.

Flask asks ``inspect.iscoroutinefunction`` of every before- and after-request hook, teardown
and view on every request (about eight per public page, a twentieth of its own time). The
functions are registered once, so what is known of each is kept while it lives: weakly, so a
function made for one request (``after_this_request``) goes with that request."""

import weakref

from flask import Flask


class PortalFlask(Flask):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Functions known to be plain (not coroutines). Only a marker is kept: a value holding
        # the function would keep its weak key alive for ever.
        self._plain = weakref.WeakKeyDictionary()

    def ensure_sync(self, func):
        try:
            if func in self._plain:
                return func
        except TypeError:  # not weakly referable (a builtin): asked every time, as Flask does
            return super().ensure_sync(func)
        synced = super().ensure_sync(func)
        if synced is func:
            self._plain[func] = True
        return synced
