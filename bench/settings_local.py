"""The in-process phase's settings: the test suite's (DEBUG off, local-memory cache), with
production's database task backend, so a sign-up queues its email as production does instead
of rendering it inside the request."""

from portal.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
