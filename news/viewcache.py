"""Cache keys for view counting, shared by the service that counts and the selector that reads."""

from datetime import date


def pending_key(page_id: int, day: date) -> str:
    return f"news:views:pending:{page_id}:{day.isoformat()}"


def seen_key(page_id: int, visitor: str) -> str:
    return f"news:views:seen:{page_id}:{visitor}"


FLUSH_LOCK_KEY = "news:views:flush-lock"
