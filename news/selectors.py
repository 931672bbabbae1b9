"""Reads about news: listings, neighbours, view counts and channel rankings."""

from datetime import date

from django.core.cache import cache
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from news.models import NewsIndexPage, NewsPage, NewsPageDailyViews
from news.viewcache import pending_key

RANKING_SIZE = 10
RANKING_CACHE_SECONDS = 300


def latest_news(*, root, limit: int = 8) -> list[NewsPage]:
    qs = NewsPage.objects.live().public().descendant_of(root).select_related("image")
    return list(qs.order_by("-date", "-pk")[:limit])


def community_news(*, community, limit: int = 8) -> list[NewsPage]:
    """News published in the community's own channels or tagged as related to it."""
    qs = NewsPage.objects.live().public().filter(
        Q(path__startswith=community.path) | Q(related_communities=community)
    )
    return list(qs.distinct().order_by("-date", "-pk")[:limit])


def news_page_neighbours(*, page: NewsPage) -> tuple[NewsPage | None, NewsPage | None]:
    """The previous (older) and next (newer) item in the same channel."""
    siblings = NewsPage.objects.live().public().sibling_of(page, inclusive=False)
    older = siblings.filter(Q(date__lt=page.date) | Q(date=page.date, pk__lt=page.pk))
    newer = siblings.filter(Q(date__gt=page.date) | Q(date=page.date, pk__gt=page.pk))
    return (
        older.order_by("-date", "-pk").only("title", "url_path", "path", "depth").first(),
        newer.order_by("date", "pk").only("title", "url_path", "path", "depth").first(),
    )


def page_view_counts(*, page: NewsPage, today: date | None = None) -> dict[str, int]:
    """Views today (今日浏览量) and in total: what is written plus what still waits in the cache."""
    today = today or timezone.localdate()
    rows = NewsPageDailyViews.objects.filter(page=page)
    written = rows.aggregate(total=Sum("count"))["total"] or 0
    written_today = rows.filter(day=today).values_list("count", flat=True).first() or 0
    pending_today = cache.get(pending_key(page.pk, today), 0)
    return {"today": written_today + pending_today, "total": written + pending_today}


def _ranking(channel: NewsIndexPage, since: date | None) -> list[dict]:
    rows = NewsPageDailyViews.objects.filter(
        page__path__startswith=channel.path, page__live=True
    )
    if since:
        rows = rows.filter(day__gte=since)
    top = (
        rows.values("page_id", "page__title", "page__url_path")
        .annotate(views=Sum("count"))
        .order_by("-views", "-page_id")[:RANKING_SIZE]
    )
    return [
        {"page_id": r["page_id"], "title": r["page__title"], "views": r["views"]} for r in top
    ]


def channel_rankings(*, channel: NewsIndexPage) -> dict[str, list]:
    """The channel's most-read items of all time and of this month (频道总排行 / 本月排行).
    Cached for a few minutes: rankings move slowly and every channel page shows them."""
    today = timezone.localdate()
    key = f"news:rankings:{channel.pk}:{today.isoformat()}"
    rankings = cache.get(key)
    if rankings is None:
        rankings = {
            "all_time": _ranking(channel, None),
            "this_month": _ranking(channel, today.replace(day=1)),
        }
        cache.set(key, rankings, RANKING_CACHE_SECONDS)
    return _with_urls(rankings)


def _with_urls(rankings: dict[str, list]) -> dict[str, list]:
    ids = {row["page_id"] for rows in rankings.values() for row in rows}
    pages = {p.pk: p for p in NewsPage.objects.filter(pk__in=ids).only("url_path", "path")}
    for rows in rankings.values():
        for row in rows:
            page = pages.get(row["page_id"])
            row["url"] = page.url if page else ""
    return rankings


def news_for_feed(*, channel: NewsIndexPage | None = None, limit: int = 30) -> QuerySet:
    qs = NewsPage.objects.live().public()
    if channel is not None:
        qs = qs.child_of(channel)
    return qs.order_by("-date", "-pk").prefetch_related("bylines")[:limit]
