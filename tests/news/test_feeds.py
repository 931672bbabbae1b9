"""RSS and Atom feeds of news, site-wide and per channel."""

import datetime
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.models import NewsByline
from tests import factories
from tests.news.helpers import add_news

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_items(response) -> list[ET.Element]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss"
    return root.findall("./channel/item")


def atom_entries(response) -> list[ET.Element]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def test_site_rss_lists_live_news_newest_first(client, site_tree):
    older, newer = add_news(site_tree.news, 2)
    community_channel = factories.NewsIndexPageFactory(parent=site_tree.community)
    (elsewhere,) = add_news(community_channel, 1, start=newer.date + datetime.timedelta(hours=1))
    factories.NewsPageFactory(parent=site_tree.news, title="草稿新闻", live=False)

    items = rss_items(client.get("/feeds/news/rss/"))

    assert [i.findtext("title") for i in items] == [elsewhere.title, newer.title, older.title]
    assert items[1].findtext("link") == f"http://testserver{newer.url}"
    assert parsedate_to_datetime(items[1].findtext("pubDate")) == newer.date


def test_rss_item_carries_description_author_and_categories(client, site_tree):
    page = factories.NewsPageFactory.build(
        title="社区开展义诊活动",
        lead="义诊活动惠及居民三百余人。",
        bylines=[NewsByline(name="张三"), NewsByline(name="李四")],
    )
    page.tags.add("义诊")
    site_tree.news.add_child(instance=page)
    (item,) = rss_items(client.get("/feeds/news/rss/"))
    assert item.findtext("description") == "义诊活动惠及居民三百余人。"
    assert "张三、李四" in item.findtext("author", "") + item.findtext(
        "{http://purl.org/dc/elements/1.1/}creator", ""
    )
    assert [c.text for c in item.findall("category")] == ["义诊"]


def test_rss_description_falls_back_to_the_body_text(client, site_tree):
    factories.NewsPageFactory(
        parent=site_tree.news, lead="", body=[("paragraph", "<p>居民<b>踊跃</b>参加。</p>")]
    )
    (item,) = rss_items(client.get("/feeds/news/rss/"))
    assert item.findtext("description") == "居民踊跃参加。"


def test_rss_description_shows_rich_texts_characters_not_its_entities(client, site_tree):
    # Rich text stores "&" and "<" as entities; the feed's XML escapes its text once more, so a
    # reader showed "&amp;" and "&lt;" where the editor wrote "&" and "<".
    factories.NewsPageFactory(
        parent=site_tree.news, lead="", body=[("paragraph", "<p>党建&amp;服务 &lt;第一期&gt;</p>")]
    )
    (item,) = rss_items(client.get("/feeds/news/rss/"))
    assert item.findtext("description") == "党建&服务 <第一期>"


def test_site_atom_lists_live_news(client, site_tree):
    older, newer = add_news(site_tree.news, 2)
    entries = atom_entries(client.get("/feeds/news/atom/"))
    assert [e.findtext(f"{ATOM}title") for e in entries] == [newer.title, older.title]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link == f"http://testserver{newer.url}"
    assert entries[0].findtext(f"{ATOM}updated")


def test_channel_feeds_list_only_that_channels_news(client, site_tree):
    (mine,) = add_news(site_tree.news, 1)
    community_channel = factories.NewsIndexPageFactory(
        parent=site_tree.community, title="麒麟社区动态", slug="dongtai"
    )
    theirs = add_news(community_channel, 2)

    rss = ET.fromstring(client.get(f"{site_tree.news.url}rss/").content)
    assert rss.findtext("./channel/title") == "工作动态"
    assert [i.findtext("title") for i in rss.findall("./channel/item")] == [mine.title]

    entries = atom_entries(client.get(f"{community_channel.url}atom/"))
    assert [e.findtext(f"{ATOM}title") for e in entries] == [p.title for p in reversed(theirs)]


def test_channel_page_links_its_feeds(client, site_tree):
    html = client.get(site_tree.news.url).content.decode()
    assert 'href="/news/rss/"' in html
    assert 'href="/news/atom/"' in html


def _feed_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def test_feed_queries_do_not_grow_with_the_number_of_items(client, site_tree):
    def add_tagged(count):
        for page in add_news(site_tree.news, count, bylines=[NewsByline(name="张三")]):
            page.tags.add("社区")
            page.save()

    add_tagged(2)
    client.get("/feeds/news/rss/")
    before = (_feed_queries(client, "/feeds/news/rss/"), _feed_queries(client, "/news/atom/"))
    add_tagged(20)
    after = (_feed_queries(client, "/feeds/news/rss/"), _feed_queries(client, "/news/atom/"))
    assert after == before
