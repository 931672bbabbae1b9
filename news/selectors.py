"""Reads about news: listings, neighbours, view counts and channel rankings."""

import hashlib
from datetime import date

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.models import Page

from news.models import NewsIndexPage, NewsPage, NewsPageDailyViews
from news.viewcache import pending_days, pending_key
from portal.page_paths import descendant_paths
from portal.page_tree_cache import tree_cached
from portal.rankings import competition_ranks

RANKING_SIZE = 10
RANKING_CACHE_SECONDS = 300
LINK_FIELDS = ("title", "date", "url_path", "path", "depth")


def news_listing(qs: QuerySet) -> QuerySet:
    """News for a list, newest first, without loading their bodies."""
    return qs.defer_streamfields().order_by("-date", "-pk")


def news_among(pages: QuerySet) -> QuerySet[NewsPage]:
    """The news items among `pages` (a Page queryset: live, public, under a channel…), tested
    by a correlated EXISTS rather than a join: the database then walks the news by their date
    index, newest first, and stops when a list's page is full, where a join read every news
    item of the tree and sorted them all (3,000 at city scale) for each list."""
    return NewsPage.objects.filter(Exists(pages.filter(pk=OuterRef("pk"))))


def latest_news(*, root, limit: int = 8) -> list[NewsPage]:
    news = news_among(Page.objects.live().public().descendant_of(root))
    return list(news_listing(news)[:limit])


def community_news(*, community, limit: int = 8) -> list[NewsPage]:
    """News published in the community's own channels or tagged as related to it: the union of
    two small sets, each read through its own index (the community's pages by the range of
    their tree paths, the tagged ones by the link table), then sorted. As one query with an OR,
    the database walked the city's news by date until it had found the community's few (8 ms
    of SQL at city scale, 0.15 ms at 3,000 members; 0.5 ms at both now)."""
    news = NewsPage.objects.live().public().defer_streamfields().order_by()
    related = NewsPage.related_communities.through.objects.filter(communitypage_id=community.pk)
    own = news.filter(path__range=descendant_paths(community.path))
    tagged = news.filter(pk__in=related.values("newspage_id"))
    return list(own.union(tagged).order_by("-date", "-pk")[:limit])


def community_channels(*, community) -> list[NewsIndexPage]:
    """The news channels (栏目) a community keeps under its own page."""
    return list(NewsIndexPage.objects.live().public().child_of(community).order_by("path"))


# A channel with at most this many pages below it is read from the page tree's path index and
# its news sorted (a bounded sort); a larger one walks the news by their date index.
SMALL_CHANNEL = 200


def channel_news(*, channel: NewsIndexPage, tag: str = "") -> QuerySet:
    """The channel's news, newest first. A large channel (工作动态, most of the city's news)
    walks the news by date and stops when the page is full (`news_among`); a small one (a
    community's own 社区动态, a few items among the city's 3,000) found its items at the end of
    that walk, reading every news item of the city for each of its pages (1.5 ms at city
    scale, 0.1 ms at 3,000 members): its pages are found by the range of their tree paths,
    which the path index reads, and the few news sorted."""
    if channel.numchild <= SMALL_CHANNEL:
        low, high = channel._get_children_path_interval(channel.path)
        qs = (
            NewsPage.objects.live()
            .public()
            .filter(path__range=(low, high), depth=channel.depth + 1)
        )
    else:
        qs = news_among(Page.objects.live().public().child_of(channel))
    if tag:
        qs = qs.filter(tags__name=tag)
    return news_listing(qs)


class ChannelPaginator(Paginator):
    """The channel's pages, with its number of news (for 第 n 页，共 N 页) kept until the page
    tree changes (portal.page_tree_cache): counting read every news item of the channel on
    every page of its listing."""

    def __init__(self, object_list, per_page, *, channel: NewsIndexPage, tag: str = ""):
        super().__init__(object_list, per_page)
        digest = hashlib.sha1(tag.encode()).hexdigest()[:16] if tag else ""
        self.count_name = f"news:channel-count:{channel.pk}:{digest}"

    @cached_property
    def count(self) -> int:
        return tree_cached(self.count_name, lambda: Paginator.count.func(self))


def news_page_neighbours(*, page: NewsPage) -> tuple[NewsPage | None, NewsPage | None]:
    """The previous (older) and next (newer) item in the same channel."""
    siblings = NewsPage.objects.live().public().sibling_of(page, inclusive=False)
    older = siblings.filter(Q(date__lt=page.date) | Q(date=page.date, pk__lt=page.pk))
    newer = siblings.filter(Q(date__gt=page.date) | Q(date=page.date, pk__gt=page.pk))
    return (
        older.order_by("-date", "-pk").only(*LINK_FIELDS).first(),
        newer.order_by("date", "pk").only(*LINK_FIELDS).first(),
    )


def page_view_counts(*, page: NewsPage, today: date | None = None) -> dict[str, int]:
    """Views today (今日浏览量) and in total: what is written plus what still waits in the cache
    (for every day a flush may not have reached yet, not only today)."""
    today = today or timezone.localdate()
    written = NewsPageDailyViews.objects.filter(page=page).aggregate(
        total=Sum("count"), today=Sum("count", filter=Q(day=today))
    )
    keys = {pending_key(page.pk, day): day for day in pending_days(today)}
    pending = {keys[k]: v for k, v in cache.get_many(list(keys)).items() if v > 0}
    return {
        "today": (written["today"] or 0) + pending.get(today, 0),
        "total": (written["total"] or 0) + sum(pending.values()),
    }


def channel_rankings(
    *, channel: NewsIndexPage, request: HttpRequest | None = None
) -> dict[str, list[dict]]:
    """The channel's most-read items of all time and of this month (频道总排行 / 本月排行), as
    rows of title, url and views. Cached for a few minutes: rankings move slowly, every channel
    page shows them, and they count only views already flushed to the database."""
    today = timezone.localdate()
    key = f"news:rankings:{channel.pk}:{today.isoformat()}"
    rankings = cache.get(key)
    if rankings is None:
        rankings = _rankings(channel, today.replace(day=1), request)
        cache.set(key, rankings, RANKING_CACHE_SECONDS)
    return rankings


def _rankings(channel: NewsIndexPage, month_start: date, request) -> dict[str, list[dict]]:
    rows = NewsPageDailyViews.objects.filter(
        page__in=NewsPage.objects.live().public().child_of(channel).values("pk")
    )
    top = {
        "all_time": _top(rows),
        "this_month": _top(rows.filter(day__gte=month_start)),
    }
    ids = {page_id for ranking in top.values() for page_id, _views in ranking}
    pages = NewsPage.objects.filter(pk__in=ids).only("title", "url_path")
    pages = {p.pk: {"title": p.title, "url": p.get_url(request)} for p in pages}
    return {
        name: _ranked(
            [{**pages[pk], "page_id": pk, "views": views} for pk, views in ranking if pk in pages]
        )
        for name, ranking in top.items()
    }


def _ranked(rows: list[dict]) -> list[dict]:
    """Each row with its `rank`: equal views share one (1, 2, 2, 4)."""
    ranks = competition_ranks([row["views"] for row in rows])
    return [{**row, "rank": rank} for row, rank in zip(rows, ranks, strict=True)]


def _top(rows: QuerySet) -> list[tuple[int, int]]:
    top = rows.values("page_id").annotate(views=Sum("count")).order_by("-views", "-page_id")
    return [(r["page_id"], r["views"]) for r in top[:RANKING_SIZE]]


def news_for_feed(*, channel: NewsIndexPage | None = None, limit: int = 30) -> QuerySet:
    qs = NewsPage.objects.live().public()
    if channel is not None:
        qs = qs.child_of(channel)
    return qs.order_by("-date", "-pk").prefetch_related("bylines", "tags")[:limit]
