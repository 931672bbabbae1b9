"""/sitemap.xml lists the live pages, news included, and no drafts."""

import xml.etree.ElementTree as ET

from tests import factories

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_urls(client) -> dict[str, ET.Element]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    return {url.findtext(f"{SITEMAP}loc"): url for url in root.findall(f"{SITEMAP}url")}


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
