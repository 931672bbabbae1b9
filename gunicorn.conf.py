"""gunicorn's settings for `make serve` (docs/deployment.md).

Every value can be overridden from the environment: HOST and PORT (where to listen),
WEB_CONCURRENCY (worker processes; by default two per core plus one),
GUNICORN_TIMEOUT (seconds before a stuck worker is restarted). gunicorn also reads
GUNICORN_CMD_ARGS (any command-line option) and FORWARDED_ALLOW_IPS (the proxies whose
X-Forwarded-Proto it believes)."""

import multiprocessing
import os

wsgi_app = "portal.wsgi:application"
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Sync workers: each serves one request at a time, so (2 × cores) + 1 keeps the cores busy
# while some workers wait on PostgreSQL or Redis.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count() + 1)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# A worker is replaced after this many requests (staggered), so slow growth never piles up.
max_requests = 2000
max_requests_jitter = 200
# One line per request on stdout, errors on stderr: the process supervisor collects both.
accesslog = "-"
errorlog = "-"
# One JSON object per request, like the portal's own records (portal.logs), with the request id
# the portal echoes in X-Request-ID: the line and the portal's records of the same request join.
logger_class = "portal.logs.GunicornJsonLogger"
