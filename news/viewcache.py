"""Cache keys for view counting, shared by the service that counts and the selector that reads."""

from datetime import date, timedelta

# Pending counts of a day are flushed for this many days after it; a count waiting longer
# (no flush ran for a week) expires with its key instead of staying in the cache for ever.
PENDING_DAYS = 7
PENDING_TIMEOUT = (PENDING_DAYS + 2) * 24 * 3600

FLUSH_THROTTLE_KEY = "news:views:flush-throttle"


def pending_key(page_id: int, day: date) -> str:
    return f"news:views:pending:{page_id}:{day.isoformat()}"


def seen_key(page_id: int, visitor: str) -> str:
    return f"news:views:seen:{page_id}:{visitor}"


def pending_days(today: date) -> list[date]:
    """The days whose counts may still wait in the cache, oldest first."""
    return [today - timedelta(days=n) for n in range(PENDING_DAYS, -1, -1)]
