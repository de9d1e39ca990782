"""Gunicorn settings for production: several sync workers behind a reverse proxy.

Start with: gunicorn -c gunicorn.conf.py "app:create_app()"
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Workers share nothing but PostgreSQL and Redis, which is why rate limits and captcha answers
# must live in Redis in production (memory counters would be per worker).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = 30
graceful_timeout = 20
# The app is imported once in the master and forked: a worker starts in milliseconds instead of
# re-importing for 1.2 s of CPU, and its pages are shared copy-on-write. Each worker opens its own
# database connections after the fork (post_fork below).
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
# Recycle workers now and then against slow leaks, rarely: each restart empties that worker's
# reference cache (portal/services/reference_cache.py). At 2000 (the old value) restarts cost
# about 0.6 ms a request under load; jitter keeps workers from restarting together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
# The app writes one line per request itself (portal/web/request_log.py: request id, route,
# status, duration, staff id; LOG_FORMAT=json for JSON); gunicorn's own would repeat it with
# the raw path and query string.
accesslog = None
errorlog = "-"
# Behind a proxy set FORWARDED_ALLOW_IPS and PROXY_FIX_X_FOR; by default nothing is trusted.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's control socket has one path per user, which several masters on one machine (two
# instances, or the test suite's servers) would fight over; nothing here uses it.
control_socket_disable = True


def post_fork(server, worker):
    """Connections opened in the master while the app was imported stay with the master: each
    worker forgets the inherited pool (without closing the master's sockets) and opens its own."""
    app = server.app.wsgi()
    if "sqlalchemy" not in getattr(app, "extensions", {}):
        return  # bench/bare.py's yardstick
    from models import db

    with app.app_context():
        db.engine.dispose(close=False)
