"""Settings for the test suite: fast password hashing, a local-memory cache (Redis when REDIS_URL
is set, as in production: CI's PostgreSQL run), mail kept in memory, tasks run at once."""

import os
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:  # noqa: F405
    # One Redis database per pytest-xdist worker: the suite clears the cache around every test,
    # and a clear on Redis empties the whole database. Worker gwN uses REDIS_URL's database + N.
    _redis = urlsplit(REDIS_URL)  # noqa: F405
    _worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    _db = int(_redis.path.strip("/") or 0) + _worker
    if _db > 15:
        raise ImproperlyConfigured(
            f"REDIS_URL {REDIS_URL!r}: pytest-xdist worker {_worker} would use Redis database "  # noqa: F405
            f"{_db}; Redis has 0-15. Start from a lower database or run fewer workers."
        )
    CACHES["default"] = {
        "BACKEND": "portal.redis_cache.RedisCache",
        "LOCATION": urlunsplit(_redis._replace(path=f"/{_db}")),
        "KEY_PREFIX": "portal-test",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
    }
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Off in the suite, whose tests read a page, change things and read it again; the page cache's
# own tests switch it on (the `page_cache` fixture, tests/portal/test_page_cache.py).
PAGE_CACHE_ENABLED = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "portal.sms.LocmemBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
MEDIA_ROOT = BASE_DIR / "media-test"  # noqa: F405
PORTAL_BASE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
WHITENOISE_USE_FINDERS = True
