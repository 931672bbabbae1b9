"""Writes about news: counting views without a database write on every page view.

A view is counted in the cache: one `add` drops reloads by the same visitor within
NEWS_VIEW_DEDUP_SECONDS, one `incr` counts it. `page_views_flush` moves the pending counts into
NewsPageDailyViews. It runs from the `flush_page_views` command (cron) and from a task enqueued at
most once every NEWS_VIEW_FLUSH_SECONDS, so the hot path stays read-only.

A flush *claims* each pending count with an atomic `decr` before writing it, and gives back what
it over-claimed or could not write. Two flushes at once (cron and task) therefore never write the
same views twice, and views counted during a flush stay pending for the next one. The cache must
be shared by every process (Redis in production): a local-memory cache counts per process."""

import logging
import re
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from news.models import NewsPage, NewsPageDailyViews
from news.viewcache import (
    FLUSH_THROTTLE_KEY,
    PENDING_TIMEOUT,
    pending_days,
    pending_key,
    seen_key,
)
from portal.http import client_address

logger = logging.getLogger(__name__)

BOT_PATTERN = re.compile(
    r"bot|spider|crawl|slurp|scrapy|headless|lighthouse|preview|monitor|feed|"
    r"curl|wget|python-|java/|okhttp|go-http|httpclient|libwww",
    re.IGNORECASE,
)
FLUSH_BATCH = 200  # pages per cache round trip: 200 pages x 8 days = 1600 keys


def is_bot(user_agent: str) -> bool:
    """Crawlers, scripts, link previewers and clients that send no User-Agent at all."""
    return not user_agent.strip() or bool(BOT_PATTERN.search(user_agent))


def _visitor_fingerprint(request: HttpRequest) -> str:
    """A keyed, non-reversible token of who is reading: address, browser and languages.
    Behind trusted reverse proxies the address is the one they saw (`portal.http`)."""
    raw = "|".join(
        [
            client_address(request),
            request.META.get("HTTP_USER_AGENT", "")[:300],
            request.META.get("HTTP_ACCEPT_LANGUAGE", "")[:100],
        ]
    )
    return salted_hmac("news.views.visitor", raw).hexdigest()[:32]


def page_view_record(*, page: NewsPage, request: HttpRequest) -> bool:
    """Count a reader's view of `page`; False for previews, bots and reloads by the same visitor.
    Touches only the cache."""
    return page_view_record_by_id(page_id=page.pk, request=request)


def page_view_record_by_id(*, page_id: int, request: HttpRequest) -> bool:
    """`page_view_record` for a page not loaded: a page served from the page cache
    (`portal.page_cache`, answered in news/wagtail_hooks.py)."""
    if getattr(request, "is_preview", False) or request.method != "GET":
        return False
    if is_bot(request.META.get("HTTP_USER_AGENT", "")):
        return False
    visitor = _visitor_fingerprint(request)
    if not cache.add(seen_key(page_id, visitor), 1, settings.NEWS_VIEW_DEDUP_SECONDS):
        return False
    _pending_add(pending_key(page_id, timezone.localdate()), 1)
    _schedule_flush()
    return True


def _pending_add(key: str, amount: int) -> None:
    # add() then incr(): incr on a missing key raises, and two first viewers may race. The key
    # may also expire between the two calls, hence the second try.
    for _attempt in range(2):
        cache.add(key, 0, timeout=PENDING_TIMEOUT)
        try:
            cache.incr(key, amount)
            return
        except ValueError:
            continue
    logger.warning("Could not count %s view(s) in %s", amount, key)


def _schedule_flush() -> None:
    if not cache.add(FLUSH_THROTTLE_KEY, 1, settings.NEWS_VIEW_FLUSH_SECONDS):
        return

    def enqueue() -> None:
        from news.tasks import flush_page_views

        try:
            flush_page_views.enqueue()
        except Exception:  # the views stay pending; the next flush (or cron) moves them
            logger.exception("Could not enqueue the page views flush")

    transaction.on_commit(enqueue)


def page_views_flush(*, today: date | None = None) -> int:
    """Move pending view counts from the cache to the database; returns the views moved.
    Idempotent, and safe to run at any time, concurrently with counting and with itself."""
    days = pending_days(today or timezone.localdate())
    page_ids = list(NewsPage.objects.order_by("pk").values_list("pk", flat=True))
    moved = 0
    for start in range(0, len(page_ids), FLUSH_BATCH):
        keys = {
            pending_key(pk, day): (pk, day)
            for pk in page_ids[start : start + FLUSH_BATCH]
            for day in days
        }
        pending = {k: v for k, v in cache.get_many(list(keys)).items() if v > 0}
        claimed = {k: n for k, v in pending.items() if (n := _claim(k, v))}
        try:
            _write_counts({keys[k]: n for k, n in claimed.items()})
        except Exception:
            for key, n in claimed.items():
                _pending_add(key, n)
            raise
        moved += sum(claimed.values())
    return moved


def _claim(key: str, seen: int) -> int:
    """Take up to `seen` views out of the pending count at `key`; returns how many were taken.
    `decr` is atomic, so what one flush takes no other flush can take too."""
    try:
        left = cache.decr(key, seen)
    except ValueError:  # expired since it was read
        return 0
    if left >= 0:
        return seen
    excess = min(seen, -left)  # another flush took part of it first: give that back
    _pending_add(key, excess)
    return seen - excess


@transaction.atomic
def _write_counts(counts: dict[tuple[int, date], int]) -> None:
    """Add the counts to the daily rows, in a stable order so concurrent flushes cannot deadlock.
    The atomic `count = count + n` update is the row lock."""
    for (page_id, day), amount in sorted(counts.items()):
        rows = NewsPageDailyViews.objects.filter(page_id=page_id, day=day)
        if rows.update(count=F("count") + amount):
            continue
        try:
            with transaction.atomic():
                NewsPageDailyViews.objects.create(page_id=page_id, day=day, count=amount)
        except IntegrityError:  # created by a concurrent flush since our update
            rows.update(count=F("count") + amount)
