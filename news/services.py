"""Writes about news: counting views without a database write on every page view.

A view is counted in the cache (one `add` to drop reloads by the same visitor within
NEWS_VIEW_DEDUP_SECONDS, one `incr`). At most once every NEWS_VIEW_FLUSH_SECONDS a task
moves the pending counts into NewsPageDailyViews, so the hot path stays read-only."""

import hashlib
import re
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from news.models import NewsPage, NewsPageDailyViews
from news.viewcache import FLUSH_LOCK_KEY, pending_key, seen_key

BOT_PATTERN = re.compile(r"bot|spider|crawl|slurp|headless|preview", re.IGNORECASE)
FLUSH_BATCH = 500


def _visitor_fingerprint(request: HttpRequest) -> str:
    """A short, non-reversible token of who is reading: address and browser."""
    raw = "|".join(
        [
            request.META.get("REMOTE_ADDR", ""),
            request.META.get("HTTP_USER_AGENT", "")[:200],
            request.session.session_key or "" if hasattr(request, "session") else "",
        ]
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def page_view_record(*, page: NewsPage, request: HttpRequest) -> bool:
    """Count a reader's view of `page`; False when it is a reload, a bot or a preview."""
    if getattr(request, "is_preview", False) or request.method != "GET":
        return False
    if BOT_PATTERN.search(request.META.get("HTTP_USER_AGENT", "")):
        return False
    if not cache.add(seen_key(page.pk, _visitor_fingerprint(request)), 1,
                     settings.NEWS_VIEW_DEDUP_SECONDS):
        return False
    key = pending_key(page.pk, timezone.localdate())
    # add() then incr(): incr on a missing key raises, and two first viewers may race.
    cache.add(key, 0, timeout=None)
    cache.incr(key)
    _schedule_flush()
    return True


def _schedule_flush() -> None:
    if cache.add(FLUSH_LOCK_KEY, 1, settings.NEWS_VIEW_FLUSH_SECONDS):
        from news.tasks import flush_page_views

        flush_page_views.enqueue()


def page_views_flush(*, today: date | None = None) -> int:
    """Move pending view counts from the cache to the database; returns the views moved.
    Safe to run at any time and concurrently with counting: each key is decremented by
    exactly what was written, so views counted meanwhile stay pending."""
    today = today or timezone.localdate()
    days = [today - timedelta(days=1), today]
    page_ids = list(NewsPage.objects.values_list("pk", flat=True))
    moved = 0
    for start in range(0, len(page_ids), FLUSH_BATCH):
        keys = {
            pending_key(pk, day): (pk, day)
            for pk in page_ids[start : start + FLUSH_BATCH]
            for day in days
        }
        pending = {k: v for k, v in cache.get_many(list(keys)).items() if v}
        moved += _write_counts({keys[k]: v for k, v in pending.items()})
        for key, value in pending.items():
            cache.decr(key, value)
    return moved


@transaction.atomic
def _write_counts(counts: dict[tuple[int, date], int]) -> int:
    for (page_id, day), value in counts.items():
        row, _ = NewsPageDailyViews.objects.select_for_update().get_or_create(
            page_id=page_id, day=day
        )
        row.count += value
        row.save(update_fields=["count"])
    return sum(counts.values())
