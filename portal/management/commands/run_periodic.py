"""The portal's periodic jobs: `make run` starts this beside the development server; in
production one or more schedulers run it (docs/deployment.md), or cron runs `--once`.

Each job runs at most once per period (its interval, counted from the epoch: the hourly jobs
on the hour) however many schedulers run: before running a job, a scheduler claims the job's
current period with the cache's `add` (Redis's SET NX with an expiry in production, shared by
every machine), and only the one that claimed it runs it. A scheduler that dies while running a
job loses that period; the next period runs it again (every job is safe to run again). A job
still running elsewhere when its next period comes (a slow run) is not started beside it: the
running scheduler also holds the job's lock until it ends (or, if it died, until the lock
expires)."""

import logging
import os
import socket
import time

from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand

logger = logging.getLogger(__name__)

# (command, every how many seconds). All of them are safe to run again at any time.
JOBS = (
    ("publish_scheduled", 60),  # scheduled publishing and expiry of pages
    ("flush_page_views", 60),  # news view counts from the cache to the database
    ("send_activity_reminders", 3600),  # reminders of tomorrow's activities, once each
    ("send_feedback_alerts", 3600),  # residents' requests: daily digests, escalations to the city
    ("prune_task_results", 86400),  # finished tasks (emails' bodies) out of the task queue
    ("prune_login_failures", 86400),  # the failed sign-ins' log, after its retention period
    ("send_letters", 60),  # letters' emails and texts, one batch (LETTERS_SEND_BATCH) a minute
)


def period_of(every: int, now: float | None = None) -> int:
    """The number of the period `now` falls in, for a job run every `every` seconds."""
    return int((time.time() if now is None else now) // every)


OWNER = f"{socket.gethostname()}:{os.getpid()}"


def claim(name: str, every: int, period: int) -> bool:
    """True for the one caller, among every scheduler sharing the cache, that claims this job's
    period first. The claim outlives the period, so that no clock skew between machines lets
    a late scheduler claim it again; it expires by itself afterwards."""
    try:
        return cache.add(f"periodic:{name}:{every}:{period}", OWNER, timeout=2 * every)
    except Exception:
        # No shared cache, no way to know whether another scheduler runs it: skip this period.
        logger.exception("periodic job %s: could not claim its period", name)
        return False


def running_lock_seconds(every: int) -> int:
    """How long a job's running lock lasts if its holder dies without releasing it: ten
    periods, at most an hour."""
    return min(10 * every, 3600)


def lock(name: str, every: int) -> bool:
    try:
        return cache.add(f"periodic:{name}:running", OWNER, timeout=running_lock_seconds(every))
    except Exception:
        logger.exception("periodic job %s: could not take its lock", name)
        return False


def unlock(name: str) -> None:
    key = f"periodic:{name}:running"
    try:
        if cache.get(key) == OWNER:  # not a lock that expired and another scheduler took
            cache.delete(key)
    except Exception:
        logger.exception("periodic job %s: could not release its lock", name)


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (publish_scheduled, flush_page_views, reminders, alerts) in a "
        "loop, each at most once per period across every scheduler sharing the cache."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run every job whose current period is unclaimed once, and stop (for cron).",
        )
        parser.add_argument("--tick", type=int, default=10, help="Seconds between checks.")

    def handle(self, *args, once=False, tick=10, **options):
        last_period: dict[str, int] = {}
        while True:
            for name, every in JOBS:
                period = period_of(every)
                if last_period.get(name) == period:
                    continue  # this scheduler has already tried this period
                last_period[name] = period
                if not claim(name, every, period):
                    continue  # another scheduler has this period
                if not lock(name, every):
                    logger.warning("periodic job %s: still running elsewhere, skipped", name)
                    continue
                try:
                    self._run(name)
                finally:
                    unlock(name)
            if once:
                return
            time.sleep(tick)

    def _run(self, name: str) -> None:
        # One failing job must not stop the others, nor the loop.
        try:
            call_command(name, verbosity=0)
        except Exception:
            logger.exception("periodic job %s failed", name)
