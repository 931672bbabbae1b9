"""Settings for development: DEBUG on, mail printed to the console, no password rules (the demo's
accounts share a short password)."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Demo accounts use a short, memorable password.
AUTH_PASSWORD_VALIDATORS = []
WHITENOISE_USE_FINDERS = True
# A template edited while `make run` serves would not show to signed-out visitors until the page
# cache forgot it: off unless asked for (PAGE_CACHE_ENABLED=1 make run, to try it).
PAGE_CACHE_ENABLED = os.environ.get("PAGE_CACHE_ENABLED", "0") == "1"  # noqa: F405
