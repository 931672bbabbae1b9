"""Production: refuses to start without its secrets."""

import ipaddress
import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

# REDIS_URL too: with several processes, view counts and rate limits need a shared cache.
# PORTAL_BASE_URL: emails, QR codes, feeds and sitemaps link to it; a default would be a dead link.
_REQUIRED = (
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "PORTAL_BASE_URL",
)
for _name in _REQUIRED:
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"{_name} must be set in production.")
# Scheme and host (and port), nothing after: Wagtail's Site record, which page URLs come from,
# holds a hostname and a port, not a path, and takes https only on port 443.
_base = urlsplit(PORTAL_BASE_URL)  # noqa: F405
if (
    _base.scheme not in ("http", "https")
    or not _base.hostname
    or _base.path
    or _base.query
    or (_base.scheme == "https" and _base.port not in (None, 443))
):
    raise ImproperlyConfigured(
        f"PORTAL_BASE_URL must be like https://portal.example.gov.cn, not {PORTAL_BASE_URL!r}."  # noqa: F405
    )

# Mail comes from the portal's own domain unless said otherwise: noreply@<the public address's
# host> (base's "portal@localhost" is refused or marked as spam by most mail servers).
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or f"noreply@{_base.hostname}"
SERVER_EMAIL = os.environ.get("SERVER_EMAIL") or DEFAULT_FROM_EMAIL

DEBUG = False
# Each worker keeps its database connection between requests (DATABASE_CONN_MAX_AGE seconds):
# opening one per request costs PostgreSQL a new process and its catalogue caches, more than
# an API sign-up's own statements (issue 11). A connection that broke meanwhile (a database
# restart) is checked before the request uses it and opened again.
for _database in DATABASES.values():  # noqa: F405
    _database["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
    _database["CONN_HEALTH_CHECKS"] = True
# Emails, text messages and heavy jobs leave the request: stored in the database, run by
# `manage.py db_worker` (`make worker`, docs/deployment.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Text messages go nowhere until a provider's backend is named (docs/accounts.md): the console
# backend would write one-time codes into the server's logs.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "portal.sms.DisabledBackend")
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = os.environ.get("DJANGO_SECURE_COOKIES", "1") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS only (docs/deployment.md). Plain HTTP is redirected, except the health endpoint, which
# load balancers ask over plain HTTP on the private network. HSTS tells browsers to use HTTPS
# for a year (DJANGO_HSTS_SECONDS: start lower, e.g. 3600, on a first deployment, then raise).
# `preload` has an effect only if the registrable domain's owner submits it to the browsers'
# list; a portal on a city subdomain cannot be submitted, so the directive is inert there.
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SSL_REDIRECT", "1") == "1"
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("DJANGO_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
SECURE_HSTS_PRELOAD = os.environ.get("DJANGO_HSTS_PRELOAD", "1") == "1"
# Comma-separated, e.g. "127.0.0.1,10.0.0.0/8": the proxies in front of the portal. Without them
# every client behind a proxy has the proxy's address and shares its rate limits.
TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("DJANGO_TRUSTED_PROXIES", "").split(",") if p.strip()
]
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DJANGO_TRUSTED_PROXIES: {exc}") from exc
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
# Logs as JSON lines on stdout, one object per record (portal.logs, docs/deployment.md "Logs"):
# time, level, logger, message, request_id, path, user_id, and the traceback of an exception;
# gunicorn's access lines (gunicorn.conf.py) in the same form. DJANGO_LOG_LEVEL: INFO by
# default (one portal.requests record per request); WARNING keeps only problems.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "portal.logs.RequestContextFilter"}},
    "formatters": {"json": {"()": "portal.logs.JsonLineFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # boto3 says which credentials it found, at INFO, on every new client.
        name: {"level": "WARNING"}
        for name in ("boto3", "botocore", "s3transfer", "urllib3")
    },
}
