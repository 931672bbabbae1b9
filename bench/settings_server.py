"""The server phase's settings: production's (`make serve`; its environment is given by
bench/server.py), with the bench's URLs, which add a trivial JSON view as a floor."""

from portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
