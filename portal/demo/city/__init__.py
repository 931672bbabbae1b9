"""The report's whole city on top of the demo: `manage.py load_demo --scale city` (or
`--scale N`, N members). See docs/city-scale.md.

Built in bulk, in one transaction, in a few minutes at most: pages with computed tree paths
(`portal.demo.city.pages`), every other row with `bulk_create`, and with
`bulk_create_with_history` where the model keeps history; objects in a workflow state are made
by their state machine (`StateMachine.seeded`), so only states a transition reaches exist, and
their history rows name that transition. Seeded: the same scale gives the same city (names,
texts, states; dates are relative to the day it runs). A second run finds the city's members
and changes nothing."""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from news.models import NewsIndexPage, NewsPage
from portal import page_tree_cache
from portal.demo.city.news import ensure_news
from portal.demo.city.pages import bulk_add_pages, index_pages
from portal.demo.pages import paragraphs_stream
from portal.models import HomePage
from volunteering.activities.models import ActivityPage
from volunteering.citydemo import activities as city_activities
from volunteering.citydemo import people as city_people
from volunteering.citydemo import places as city_places
from volunteering.citydemo import voice as city_voice
from volunteering.citydemo.base import (
    CITY_MEMBERS,
    MAX_MEMBERS,
    MIN_MEMBERS,
    USERNAME_PREFIX,
    City,
    Progress,
    new_city,
)
from volunteering.communities.models import CommunityIndexPage, CommunityPage, CountyPage
from volunteering.figures.selectors import invalidate_figures

__all__ = [
    "CITY_MEMBERS",
    "MAX_MEMBERS",
    "MIN_MEMBERS",
    "city_members_loaded",
    "load_city",
    "tidy_after_load",
]
STEPS = 12


def city_members_loaded() -> int:
    """How many of the city's members exist: 0 when the city was never loaded."""
    return get_user_model().objects.filter(username__startswith=USERNAME_PREFIX).count()


@transaction.atomic
def load_city(*, members: int, write: Callable[[str], None]) -> dict[str, int]:
    """Build the city for `members` members on top of the demo (loaded already)."""
    city = new_city(members)
    progress = Progress(write, STEPS)

    def add_pages(parent, pages):
        return bulk_add_pages(parent, pages, rng=city.rng)

    home = HomePage.objects.get(slug="home")
    index = CommunityIndexPage.objects.child_of(home).get(slug="communities")
    channel = NewsIndexPage.objects.child_of(home).get(slug="news")
    with progress.step("县（市、区）和社区") as note:
        city_places.ensure_counties(city, index, add_pages=add_pages)
        city_places.ensure_communities(city, add_pages=add_pages)
        note["count"] = city.counts["communities"]
    with progress.step("单位") as note:
        city_places.ensure_organisations(city)
        note["count"] = city.counts["organisations"]
    with progress.step("在职党员") as note:
        city_people.ensure_members(city)
        note["count"] = city.counts["members"]
    with progress.step("报到和服务档案") as note:
        city_people.ensure_reports(city)
        note["count"] = city.counts["reports"]
    with progress.step("服务队") as note:
        city_people.ensure_teams(city)
        note["count"] = city.counts["teams"]
    with progress.step("志愿活动") as note:
        city_activities.ensure_activities(city, add_pages=add_pages, body=paragraphs_stream)
        note["count"] = city.counts["activities"]
    with progress.step("活动报名和积分") as note:
        city_activities.ensure_signups(city)
        note["count"] = city.counts["signups"]
    with progress.step("居民诉求") as note:
        city_voice.ensure_feedback(city)
        note["count"] = city.counts["feedback"]
    with progress.step("好事实事") as note:
        city_voice.ensure_good_deeds(city)
        note["count"] = city.counts["good_deeds"]
    with progress.step("新闻") as note:
        ensure_news(city, channel, add_pages=add_pages)
        note["count"] = city.counts["news"]
    with progress.step("搜索索引") as note:
        note["count"] = _index(city)
    with progress.step("统计缓存"):
        transaction.on_commit(invalidate_figures)
        # The pages came in bulk, without Wagtail's signals: menus and counts are read again.
        page_tree_cache.forget()
    return city.counts


def tidy_after_load() -> None:
    """After the bulk load, on PostgreSQL: `VACUUM ANALYZE`, outside any transaction. Without
    it the planner knows nothing of the new rows until autovacuum comes by, and the search
    index's GIN indexes keep the new entries in their unsorted pending list: a title search
    took 12 ms instead of 0.1 ms (docs/search.md). Not `ANALYZE` on SQLite: with its statistics
    SQLite drove Wagtail's view-restriction subquery from the page table, a scan of every page
    for each activity (the API's activity count: 2.8 s at city scale instead of 20 ms)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return  # SQLite (above); or inside a transaction, where VACUUM cannot run
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _index(city: City) -> int:
    """Index rows for the new pages, as `update_index` would make them."""
    made = 0
    for model, pages in (
        (CountyPage, [p for p in city.counties if isinstance(p, CountyPage)]),
        (CommunityPage, city.communities),
        (ActivityPage, city.activities),
        (
            NewsPage,
            NewsPage.objects.filter(pk__in=[p.pk for p in city.news]).prefetch_related("tags"),
        ),
    ):
        pages = list(pages)
        index_pages(model, pages)
        made += len(pages)
    return made
