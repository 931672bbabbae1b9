"""The portal's periodic jobs, for development and small installations without cron.

`make run` starts it beside the web server. In production, run the same jobs from cron (see
the README) or run this command under a process supervisor."""

import logging
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

logger = logging.getLogger(__name__)

# (command, every how many seconds). All of them are safe to run again at any time.
JOBS = (
    ("publish_scheduled", 60),  # scheduled publishing and expiry of pages
    ("flush_page_views", 60),  # news view counts from the cache to the database
    ("send_activity_reminders", 3600),  # reminders of tomorrow's activities, once each
    ("send_feedback_alerts", 3600),  # residents' requests: daily digests, escalations to the city
    ("send_letters", 60),  # letters' emails and texts, one batch (LETTERS_SEND_BATCH) a minute
)


class Command(BaseCommand):
    help = "Run the periodic jobs (publish_scheduled, flush_page_views, reminders) in a loop."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once and stop.")
        parser.add_argument("--tick", type=int, default=10, help="Seconds between checks.")

    def handle(self, *args, once=False, tick=10, **options):
        last_run: dict[str, float] = {}
        while True:
            now = time.monotonic()
            for name, every in JOBS:
                if once or now - last_run.get(name, float("-inf")) >= every:
                    self._run(name)
                    last_run[name] = now
            if once:
                return
            time.sleep(tick)

    def _run(self, name: str) -> None:
        # One failing job must not stop the others, nor the loop.
        try:
            call_command(name, verbosity=0)
        except Exception:
            logger.exception("periodic job %s failed", name)
