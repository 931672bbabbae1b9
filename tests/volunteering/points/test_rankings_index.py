"""The rankings index (积分排行) at a city's scale (issue 11): counties first, then one county's
communities and, page by page, its organisations, or the units found by name; never the whole
city's 1,476 organisations and 256 communities as links on one page. At most 15 queries, the
same for a small city and a larger one."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.factories import point_entry
from volunteering.communities.models import CountyPage
from volunteering.points.selectors import UNITS_PER_PAGE

MAX_QUERIES = 15
INDEX = "/service/rankings/"


@pytest.fixture
def city(site_tree):
    """麒麟区 (two communities, two organisations), one organisation without a county."""
    county = site_tree.county
    return {
        "county": county,
        "finance": factories.OrganisationFactory(name="市财政局", county=county),
        "justice": factories.OrganisationFactory(name="市司法局", county=county),
        "nowhere": factories.OrganisationFactory(name="无县单位"),
    }


def html_of(client, params=None):
    response = client.get(INDEX, params or {})
    assert response.status_code == 200
    return response.content.decode()


def ranking_links(html) -> list[str]:
    return re.findall(r'href="(/service/(?:communities|organisations)/\d+/ranking/)"', html)


def grow_city(site_tree, *, counties=2, communities=5, organisations=40):
    for c in range(counties):
        county = factories.CountyPageFactory(parent=site_tree.communities, title=f"新县{c}")
        for n in range(communities):
            community = factories.CommunityPageFactory(parent=county, title=f"新县{c}社区{n}")
            point_entry(factories.MemberFactory(), community, 10 + n)
        for n in range(organisations):
            factories.OrganisationFactory(name=f"新县{c}单位{n:02d}", county=county)


def test_the_index_lists_counties_not_every_unit(client, site_tree, city):
    grow_city(site_tree)
    html = html_of(client)
    assert ranking_links(html) == []
    for title in ("麒麟区", "新县0", "新县1", "其他单位"):
        assert f">{title}</a>" in html


def test_a_county_lists_its_communities_and_organisations_rankings(client, site_tree, city):
    grow_city(site_tree)
    html = html_of(client, {"county": city["county"].pk})
    links = ranking_links(html)
    assert reverse("service:community_ranking", args=(site_tree.community.pk,)) in links
    assert reverse("service:community_ranking", args=(site_tree.other_community.pk,)) in links
    assert reverse("service:organisation_ranking", args=(city["finance"].pk,)) in links
    assert reverse("service:organisation_ranking", args=(city["nowhere"].pk,)) not in links
    assert "新县0社区0" not in html and "新县0单位00" not in html
    assert len(links) == 4


def test_organisations_without_a_county_are_listed_under_other(client, city):
    html = html_of(client, {"county": "other"})
    assert ranking_links(html) == [
        reverse("service:organisation_ranking", args=(city["nowhere"].pk,))
    ]


def test_a_countys_organisations_come_a_page_at_a_time(client, site_tree, city):
    grow_city(site_tree, counties=1, organisations=UNITS_PER_PAGE + 5)
    county = CountyPage.objects.get(title="新县0")
    html = html_of(client, {"county": county.pk})
    organisations = [link for link in ranking_links(html) if "/organisations/" in link]
    assert len(organisations) == UNITS_PER_PAGE
    assert f"共 {UNITS_PER_PAGE + 5} 个单位" in html
    assert f"?county={county.pk}&amp;page=2" in html
    html = html_of(client, {"county": county.pk, "page": 2})
    assert "新县0单位34" in html and "新县0单位00" not in html
    assert html_of(client, {"county": county.pk, "page": "zzz"})


def test_a_name_finds_communities_and_organisations_in_every_county(client, site_tree, city):
    grow_city(site_tree)
    html = html_of(client, {"q": "单位0"})
    assert "新县0单位00" in html and "新县1单位01" in html
    assert "市财政局" not in html
    html = html_of(client, {"q": " 方城 "})
    assert ranking_links(html) == [
        reverse("service:community_ranking", args=(site_tree.other_community.pk,))
    ]
    assert 'value="方城"' in html
    assert "没有找到单位。" in html


def test_a_county_that_does_not_exist_shows_the_counties(client, city):
    html = html_of(client, {"county": "999999"})
    assert ranking_links(html) == [] and ">麒麟区</a>" in html


@pytest.mark.parametrize("params", [{}, {"county": "COUNTY"}, {"q": "社区"}, {"county": "other"}])
def test_the_index_queries_are_few_and_do_not_grow_with_the_city(client, site_tree, city, params):
    params = {k: (city["county"].pk if v == "COUNTY" else v) for k, v in params.items()}

    def count():
        with CaptureQueriesContext(connection) as ctx:
            html_of(client, params)
        return len(ctx.captured_queries)

    count()
    small = count()
    grow_city(site_tree)
    for n in range(UNITS_PER_PAGE + 3):
        factories.OrganisationFactory(name=f"麒麟区单位{n}", county=city["county"])
        factories.OrganisationFactory(name=f"无县单位{n}")
    count()  # the first request after the page tree changed refills its cached reads
    assert count() == small <= MAX_QUERIES


def test_the_community_ranking_queries_are_few_and_do_not_grow_with_the_city(
    client, site_tree, city
):
    url = reverse("service:community_ranking", args=(site_tree.community.pk,))
    point_entry(factories.MemberFactory(), site_tree.community, 5)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    count()
    small = count()
    grow_city(site_tree)
    for n in range(30):
        point_entry(factories.MemberFactory(), site_tree.community, n + 1)
    count()  # the first request after the page tree changed refills its cached reads
    assert count() == small <= MAX_QUERIES


def test_the_counties_are_found_by_their_page_type_not_by_walking_the_tree(city, client):
    """ORDER BY path made SQLite walk the path index of every page of the site to pick out the
    counties (0.7 ms at city scale, 0.08 ms at 3,000 members); they are read through the page
    type's index and sorted in Python, in the tree's order still."""
    second = factories.CountyPageFactory(parent=city["county"].get_parent(), title="富源县")
    client.get(INDEX)
    with CaptureQueriesContext(connection) as captured:
        html = html_of(client)
    assert html.index(city["county"].title) < html.index(second.title)
    [sql] = [q["sql"] for q in captured.captured_queries if "volunteering_countypage" in q["sql"]]
    assert "ORDER BY" not in sql, sql
    if connection.vendor != "sqlite":
        return  # PostgreSQL plans a test's tiny tables by their size
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
    assert "content_type_id=?" in plan and "SCAN wagtailcore_page" not in plan, plan
