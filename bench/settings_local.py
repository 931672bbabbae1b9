"""The in-process phase's settings: the test suite's (DEBUG off, local-memory cache), with
production's database task backend, so a sign-up queues its email as production does instead
of rendering it inside the request."""

import os

from portal.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# While the bench builds its databases (bench/run.py `build`), tasks run at once, as in
# development: `load_demo` indexes the demo's pages for search through tasks, which the database
# backend would only queue (no worker runs), leaving the demo's search index empty.
if os.environ.get("BENCH_BUILDING") == "1":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The server's key (bench/server.py): API tokens made here (the storm's, the soak's) carry a
# hash of their holder's password under the key, which the server checks.
SECRET_KEY = "bench-only-not-secret"
