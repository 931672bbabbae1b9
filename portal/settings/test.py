"""Settings for the test suite: fast password hashing, a local-memory cache, mail kept in memory,
tasks run at once."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "portal.sms.LocmemBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
MEDIA_ROOT = BASE_DIR / "media-test"  # noqa: F405
PORTAL_BASE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
WHITENOISE_USE_FINDERS = True
