"""Channel rankings: most read of all time (频道总排行) and of this month (本月排行)."""

import datetime

import pytest
from django.utils import timezone

from news.models import NewsPageDailyViews
from news.selectors import RANKING_SIZE, channel_rankings
from news.services import page_views_flush
from tests import factories
from tests.news.helpers import add_news, visit


def views(page, day, count):
    NewsPageDailyViews.objects.create(page=page, day=day, count=count)


@pytest.fixture
def days():
    today = timezone.localdate()
    month_start = today.replace(day=1)
    last_month = month_start - datetime.timedelta(days=1)
    return {
        "today": today,
        "month_start": month_start,
        "last_month": last_month,
        "last_year": month_start - datetime.timedelta(days=400),
    }


def titles(rows) -> list[str]:
    return [row["title"] for row in rows]


def test_all_time_and_this_month_rank_differently(site_tree, days):
    classic, fresh, quiet = add_news(site_tree.news, 3, publish=True)
    views(classic, days["last_year"], 300)
    views(classic, days["last_month"], 100)
    views(classic, days["today"], 2)
    views(fresh, days["month_start"], 30)
    views(fresh, days["today"], 20)
    views(quiet, days["last_month"], 1)

    rankings = channel_rankings(channel=site_tree.news)

    assert titles(rankings["all_time"]) == [classic.title, fresh.title, quiet.title]
    assert [r["views"] for r in rankings["all_time"]] == [402, 50, 1]
    assert titles(rankings["this_month"]) == [fresh.title, classic.title]
    assert [r["views"] for r in rankings["this_month"]] == [50, 2]
    assert rankings["all_time"][0]["url"] == classic.url


def test_rankings_hold_only_this_channels_live_news(site_tree, days):
    mine = factories.NewsPageFactory(parent=site_tree.news, title="本栏目的新闻")
    other_channel = factories.NewsIndexPageFactory(parent=site_tree.community)
    elsewhere = factories.NewsPageFactory(parent=other_channel, title="别的栏目的新闻")
    withdrawn = factories.NewsPageFactory(parent=site_tree.news, title="已撤下的新闻")
    withdrawn.unpublish()
    for page in (mine, elsewhere, withdrawn):
        views(page, days["today"], 10)

    rankings = channel_rankings(channel=site_tree.news)
    assert titles(rankings["all_time"]) == ["本栏目的新闻"]
    assert titles(rankings["this_month"]) == ["本栏目的新闻"]
    assert titles(channel_rankings(channel=other_channel)["all_time"]) == ["别的栏目的新闻"]


def test_rankings_are_capped(site_tree, days):
    pages = add_news(site_tree.news, RANKING_SIZE + 2)
    for n, page in enumerate(pages):
        views(page, days["today"], n + 1)
    rankings = channel_rankings(channel=site_tree.news)
    assert len(rankings["all_time"]) == RANKING_SIZE
    assert rankings["all_time"][0]["title"] == pages[-1].title


def test_channel_page_shows_both_rankings_with_links(client, site_tree, days):
    classic, fresh = add_news(site_tree.news, 2)
    views(classic, days["last_month"], 100)
    views(fresh, days["today"], 7)
    html = client.get(site_tree.news.url).content.decode()
    assert "频道总排行" in html and "本月排行" in html
    all_time, this_month = html.split('id="ranking-month"')
    assert f'<a href="{classic.url}">{classic.title}</a>' in all_time
    assert f'<a href="{classic.url}">' not in this_month
    assert f'<a href="{fresh.url}">{fresh.title}</a> <span class="ranking__views">7</span>' in (
        this_month
    )


def test_an_empty_ranking_says_so(client, site_tree):
    html = client.get(site_tree.news.url).content.decode()
    assert html.count("暂无数据") == 2


def test_flushed_views_reach_the_rankings(client, site_tree):
    read, unread = add_news(site_tree.news, 2)
    visit(client, read, address="198.51.100.1")
    visit(client, read, address="198.51.100.2")
    page_views_flush()
    rankings = channel_rankings(channel=site_tree.news)
    assert [(r["title"], r["views"]) for r in rankings["this_month"]] == [(read.title, 2)]


def test_equally_read_news_share_a_rank_on_the_channel_page(client, site_tree, days):
    first, second, third, fourth = add_news(site_tree.news, 4, publish=True)
    for page, count in ((first, 9), (second, 5), (third, 5), (fourth, 1)):
        views(page, days["last_year"], count)
    rows = channel_rankings(channel=site_tree.news)["all_time"]
    assert [(r["views"], r["rank"]) for r in rows] == [(9, 1), (5, 2), (5, 2), (1, 4)]
    html = client.get(site_tree.news.url).content.decode()
    ranking = html[html.index('id="ranking-all"') : html.index('id="ranking-month"')]
    assert ranking.count('<li value="2">') == 2 and '<li value="4">' in ranking
