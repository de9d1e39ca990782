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
max_requests = 2000  # recycle workers now and then; jitter keeps them from restarting together
max_requests_jitter = 200
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
