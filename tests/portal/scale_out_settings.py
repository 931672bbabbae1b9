"""Production's settings for the scale-out test (tests/portal/test_scale_out.py), but for static
files, which the test does not collect: found in the apps, as in the suite."""

from portal.settings.production import *  # noqa: F403

STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
