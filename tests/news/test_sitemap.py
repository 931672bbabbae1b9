"""/sitemap.xml is an index of the sitemap's pages (`portal.sitemaps`), which list the live
pages, news included, and no drafts, each page at most SITEMAP_PAGE_SIZE addresses."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def index_locations(client, **extra) -> list[str]:
    response = client.get("/sitemap.xml", **extra)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}sitemapindex"
    return [element.findtext(f"{SITEMAP}loc") for element in root.findall(f"{SITEMAP}sitemap")]


def page_urls(client, location: str, **extra) -> list[ET.Element]:
    address = urlsplit(location)
    response = client.get(address.path + (f"?{address.query}" if address.query else ""), **extra)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    return root.findall(f"{SITEMAP}url")


def sitemap_urls(client, **extra) -> dict[str, ET.Element]:
    """Every address of every page of the sitemap; none twice."""
    urls = [u for loc in index_locations(client, **extra) for u in page_urls(client, loc, **extra)]
    found = {url.findtext(f"{SITEMAP}loc"): url for url in urls}
    assert len(found) == len(urls)
    return found


def test_sitemap_lists_live_pages_and_not_drafts(client, site_tree):
    live = factories.NewsPageFactory(parent=site_tree.news, title="已发布的新闻")
    draft = factories.NewsPageFactory(parent=site_tree.news, title="草稿新闻", live=False)
    withdrawn = factories.NewsPageFactory(parent=site_tree.news, title="已撤下的新闻")
    withdrawn.unpublish()

    urls = sitemap_urls(client)

    for page in (site_tree.home, site_tree.news, site_tree.community, live):
        assert page.get_full_url() in urls, page
    listed = " ".join(urls)
    assert draft.slug not in listed
    assert withdrawn.slug not in listed
    assert urls[live.get_full_url()].findtext(f"{SITEMAP}lastmod")


def test_sitemap_lists_a_community_channel_and_its_news(client, site_tree):
    channel = factories.NewsIndexPageFactory(parent=site_tree.community, slug="dongtai")
    item = factories.NewsPageFactory(parent=channel, slug="yizhen")
    urls = sitemap_urls(client)
    assert channel.get_full_url().endswith("/communities/qilin/qilin-community/dongtai/")
    assert channel.get_full_url() in urls
    assert item.get_full_url() in urls


def test_the_sitemap_comes_in_pages_of_bounded_size(client, site_tree, settings):
    """The city's 5,000 pages are never one document: each page of the sitemap holds at most
    SITEMAP_PAGE_SIZE addresses, costs the same queries however many pages there are, and the
    index lists them all."""
    settings.SITEMAP_PAGE_SIZE = 3
    for n in range(4):
        factories.NewsPageFactory(parent=site_tree.news, slug=f"item-{n}")
    few = index_locations(client)
    with CaptureQueriesContext(connection) as first_page:
        assert len(page_urls(client, few[0])) == 3
    for n in range(4, 10):
        factories.NewsPageFactory(parent=site_tree.news, slug=f"item-{n}")
    many = index_locations(client)
    with CaptureQueriesContext(connection) as again:
        assert len(page_urls(client, many[0])) == 3
    assert len(many) > len(few) >= 2
    assert many[1].endswith("/sitemap-pages.xml?p=2")
    assert len(again) == len(first_page)
    assert {f"item-{n}" for n in range(10)} <= {
        loc.rstrip("/").rsplit("/", 1)[-1] for loc in sitemap_urls(client)
    }


def test_a_sitemap_page_out_of_range_is_not_found(client, site_tree):
    assert client.get("/sitemap-pages.xml?p=99").status_code == 404
    assert client.get("/sitemap-pages.xml?p=x").status_code == 404
    assert client.get("/sitemap-other.xml").status_code == 404


def test_a_sitemap_page_costs_the_same_queries_whatever_page_types_it_lists(
    client, site_tree, settings
):
    """Issue 11: Wagtail's sitemap loads its pages specific, one query more for each page type
    on the page (13 queries in the demo, 6 at city scale). The portal's reads base rows: the
    site, the count and the rows, whether the page lists five page types or ten."""
    settings.SITEMAP_PAGE_SIZE = 50
    page_urls(client, "/sitemap-pages.xml")  # the shared caches filled (view restrictions)
    with CaptureQueriesContext(connection) as few_types:
        assert len(page_urls(client, "/sitemap-pages.xml")) == 6  # five page types
    activities = factories.ActivityIndexPageFactory(parent=site_tree.home)
    factories.ActivityPageFactory(parent=site_tree.community)
    factories.BrandProjectPageFactory(parent=site_tree.community)
    factories.StandardPageFactory(parent=site_tree.home, slug="about")
    news = factories.NewsPageFactory(parent=site_tree.news)
    page_urls(client, "/sitemap-pages.xml")
    with CaptureQueriesContext(connection) as all_types:
        urls = page_urls(client, "/sitemap-pages.xml")
    locations = {url.findtext(f"{SITEMAP}loc") for url in urls}
    assert len(urls) == 11
    assert {activities.get_full_url(), news.get_full_url()} <= locations
    assert len(all_types) == len(few_types) <= 3


def test_no_page_type_changes_what_it_puts_in_the_sitemap():
    """The sitemap reads base `Page` rows (`portal.sitemaps.PagedSitemap.items`), so a page type
    overriding what a page lists there would be ignored: one that needs to must make the sitemap
    load it specific (and keep the queries bounded) first."""
    from wagtail.models import Page, get_page_models

    for model in get_page_models():
        for method in ("get_sitemap_urls", "get_url_parts", "get_full_url", "get_url"):
            assert getattr(model, method) is getattr(Page, method), (model, method)
