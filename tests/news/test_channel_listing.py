"""A channel's listing at city scale (issue 11, point 3): a community's own channel (a few items
among the city's 3,000) was found by walking every news item of the city by date, its own
coming last (1.5 ms at city scale, 0.1 ms at 3,000 members); a small channel's items are read
from the page tree's path index instead, and a large one still walks the date index and stops
when its page is full. Both give the same list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news import selectors
from tests import factories
from tests.news.helpers import add_news


@pytest.fixture
def channels(site_tree):
    own = factories.NewsIndexPageFactory(parent=site_tree.community, title="麒麟社区动态")
    mine = add_news(own, 3)
    add_news(site_tree.news, 4)  # the city's channel, with more news than the community's
    hidden = add_news(own, 1)[0]
    hidden.unpublish()
    return own, mine


def _listing_sql(channel) -> str:
    """The SQL of a page of the channel's listing, as the database received it."""
    with CaptureQueriesContext(connection) as captured:
        list(selectors.channel_news(channel=channel)[:10])
    [sql] = [q["sql"] for q in captured.captured_queries if "news_newspage" in q["sql"]]
    return sql


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def test_a_small_channel_lists_its_own_live_news_newest_first(channels, monkeypatch):
    own, mine = channels
    expected = [p.pk for p in reversed(mine)]
    assert [p.pk for p in selectors.channel_news(channel=own)] == expected
    monkeypatch.setattr(selectors, "SMALL_CHANNEL", 0)  # the walk by date gives the same
    assert [p.pk for p in selectors.channel_news(channel=own)] == expected


def test_a_small_channel_is_read_from_the_path_index(channels, monkeypatch):
    own, _mine = channels
    sql = _listing_sql(own)
    assert "BETWEEN" in sql and "EXISTS" not in sql, sql
    if connection.vendor == "sqlite":  # PostgreSQL plans a test's tiny tables by their size
        plan = _plan(sql)
        assert "(path>? AND path<?)" in plan and "SCAN news_newspage" not in plan, plan
    monkeypatch.setattr(selectors, "SMALL_CHANNEL", 0)
    assert "EXISTS" in _listing_sql(own)  # a large channel walks the news by date


def test_a_communitys_news_are_its_own_and_those_tagged_with_it_newest_first(channels, site_tree):
    own, mine = channels
    community = site_tree.community
    tagged = add_news(site_tree.news, 1, start=mine[-1].date)[0]  # the city's, tagged
    both = add_news(own, 1, start=tagged.date)[0]  # its own and tagged: listed once
    for page in (tagged, both):
        page.related_communities.add(community)
        page.save_revision().publish()
    other = factories.CommunityPageFactory(parent=community.get_parent(), title="别的社区")
    elsewhere = add_news(site_tree.news, 1, start=both.date)[0]
    elsewhere.related_communities.add(other)
    elsewhere.save_revision().publish()
    expected = [both.pk, tagged.pk, *[p.pk for p in reversed(mine)]]
    assert [p.pk for p in selectors.community_news(community=community)] == expected
    assert len(selectors.community_news(community=community, limit=2)) == 2


def test_a_communitys_news_are_read_through_their_indexes_not_the_citys_by_date(
    channels, site_tree
):
    with CaptureQueriesContext(connection) as captured:
        selectors.community_news(community=site_tree.community)
    [sql] = [q["sql"] for q in captured.captured_queries if "news_newspage" in q["sql"]]
    assert "UNION" in sql, sql
    if connection.vendor == "sqlite":  # PostgreSQL plans a test's tiny tables by their size
        plan = _plan(sql)
        assert "(path>? AND path<?)" in plan and "SCAN news_newspage" not in plan, plan
