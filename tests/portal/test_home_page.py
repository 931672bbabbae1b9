from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories


def test_home_page_shows_latest_news_and_communities(client, site_tree):
    factories.NewsPageFactory(parent=site_tree.news, title="社区报到工作扎实推进")
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "社区报到工作扎实推进" in html
    assert "麒麟区" in html and "2 个社区" in html  # the county and its number of communities
    assert 'lang="zh-Hans"' in html


def _home_queries(client) -> list[str]:
    client.get("/")  # warm the caches the way a busy site has them
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_home_page_queries_do_not_grow_with_the_number_of_news(client, site_tree):
    def add_news(count):
        for _ in range(count):
            factories.NewsPageFactory(parent=site_tree.news, publish=False)

    add_news(10)
    before = _home_queries(client)
    add_news(200)
    after = _home_queries(client)
    assert len(after) == len(before), "\n".join(after)
    assert len(after) <= 15, "\n".join(after)  # issue 11


def test_home_page_shows_what_the_apps_add_in_order(client, site_tree):
    """Figures (volunteering), latest news (news), brand projects and communities (volunteering),
    all through the home_page_sections hook: the home page imports none of them."""
    factories.NewsPageFactory(parent=site_tree.news, title="社区报到工作扎实推进")
    factories.BrandProjectPageFactory(
        parent=site_tree.community, title="小卡片装载大服务", featured=True
    )
    site_tree.home.figures_note = "数据每小时更新。"
    site_tree.home.save_revision().publish()
    html = client.get("/").content.decode()
    headings = ["figures-heading", "news-heading", "brands-heading", "communities-heading"]
    places = [html.index(f'<h2 id="{heading}">') for heading in headings]
    assert places == sorted(places)
    for text in ("报到在职党员", "数据每小时更新。", "社区报到工作扎实推进", "小卡片装载大服务"):
        assert text in html, text
    assert html.count('<h2 id="news-heading">') == 1  # each section once


def test_home_page_lists_counties_not_communities_and_does_not_grow_with_them(client, site_tree):
    """社区导航 on the home page: each county with its number of communities, linking to the
    county page; the communities themselves are on the county pages and the communities index.
    At city scale (256 communities) the home page keeps its size and its queries."""
    factories.BrandProjectPageFactory(parent=site_tree.community, featured=True)
    before = _home_queries(client)
    for _ in range(30):
        factories.CommunityPageFactory(parent=site_tree.county)
    for county in factories.CountyPageFactory.create_batch(3, parent=site_tree.communities):
        brand_home = factories.CommunityPageFactory(parent=county)
        factories.BrandProjectPageFactory(parent=brand_home, featured=True)
    after = _home_queries(client)
    assert len(after) == len(before) <= 15, "\n".join(after)
    html = client.get("/").content.decode()
    assert "32 个社区" in html
    assert f'href="{site_tree.county.url}"' in html
    assert f'href="{site_tree.community.url}"' not in html
    assert "社区7" not in html  # no community of the 30 is named on the home page
