"""The public statistics page (/statistics/): the eight figures of the city, a county or a
community, the monthly trend as an SVG chart and an accessible table, the areas below with
links, refusals of bad scopes, and a cost that does not grow with the data."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from volunteering.people.models import Organisation
from volunteering.reporting.models import Report

URL = "/statistics/"


def add_data(site_tree, *, members: int) -> None:
    """`members` confirmed members spread over both communities and three organisations of every
    kind, one held activity, one heard suggestion and one good deed per ten members."""
    organisations = [
        factories.OrganisationFactory(kind=kind)
        for kind in Organisation.Kind.values
        for _copy in range(3)
    ]
    communities = [site_tree.community, site_tree.other_community]
    for n in range(members):
        member = factories.MemberFactory(organisation=organisations[n % len(organisations)])
        factories.ReportFactory(
            member=member, community=communities[n % 2], state=Report.State.CONFIRMED
        )
        if n % 10 == 0:
            started = timezone.now() - datetime.timedelta(days=n % 300 + 1)
            factories.ActivityPageFactory(
                parent=communities[n % 2],
                starts_at=started,
                ends_at=started + datetime.timedelta(hours=1),
            )
            factories.FeedbackFactory(community=communities[n % 2], state="accepted")
            factories.GoodDeedFactory(community=communities[n % 2])


def cold_queries(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def figure_value(html: str, key: str) -> int:
    match = re.search(
        rf'figure-grid__item--{key}">\s*<span class="figure-grid__label">[^<]*</span>\s*'
        r'<span class="figure-grid__value">(\d+)<',
        html,
    )
    assert match, key
    return int(match.group(1))


@pytest.mark.django_db
def test_city_page_shows_the_figures_the_chart_and_the_table(client, site_tree):
    add_data(site_tree, members=4)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "全市工作数据" in html
    assert figure_value(html, "members_reported") == 4
    assert figure_value(html, "communities") == 2
    assert figure_value(html, "agencies") == 3  # members 0..3 go to organisations 0..3
    assert figure_value(html, "window_units") == 1
    assert figure_value(html, "activities_held") == 1
    assert '<svg class="chart"' in html and "<title" in html and "<script" not in html
    assert "<caption" in html and '<th scope="col">' in html and '<th scope="row">' in html
    this_month = timezone.localdate().strftime("%Y-%m")
    assert f'<th scope="row">{this_month}</th>' in html


@pytest.mark.django_db
def test_city_page_links_each_county_and_a_county_its_communities(client, site_tree):
    html = client.get(URL).content.decode()
    assert f'href="/statistics/?county={site_tree.county.pk}"' in html
    html = client.get(f"{URL}?county={site_tree.county.pk}").content.decode()
    assert "麒麟区工作数据" in html
    assert f'href="/statistics/?community={site_tree.community.pk}"' in html
    assert f'href="/statistics/?community={site_tree.other_community.pk}"' in html


@pytest.mark.django_db
def test_a_community_statistics_page_shows_its_own_figures(client, site_tree):
    add_data(site_tree, members=4)  # members 0 and 2 report to 麒麟社区
    html = client.get(f"{URL}?community={site_tree.community.pk}").content.decode()
    assert "麒麟社区工作数据" in html
    assert figure_value(html, "members_reported") == 2
    assert "figure-grid__item--communities" not in html
    assert f'href="/screen/community/{site_tree.community.pk}/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["county=abc", "community=1.5", "county=999999", "community=999999"],
)
def test_unknown_or_malformed_scopes_are_not_found(client, site_tree, query):
    assert client.get(f"{URL}?{query}").status_code == 404


@pytest.mark.django_db
def test_a_community_outside_the_county_asked_for_is_not_found(client, site_tree):
    other = factories.CountyPageFactory(parent=site_tree.communities, title="沾益区")
    url = f"{URL}?county={other.pk}&community={site_tree.community.pk}"
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_an_unpublished_community_is_not_found(client, site_tree):
    site_tree.other_community.unpublish()
    assert client.get(f"{URL}?community={site_tree.other_community.pk}").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("scope", ["", "county", "community"])
def test_the_page_costs_the_same_with_many_members_as_with_few(client, site_tree, scope):
    ids = {"": "", "county": site_tree.county.pk, "community": site_tree.community.pk}
    url = f"{URL}?{scope}={ids[scope]}" if scope else URL
    add_data(site_tree, members=3)
    client.get(url)  # the first request fills the process's own caches (content types…)
    few = cold_queries(client, url)
    add_data(site_tree, members=60)
    many = cold_queries(client, url)
    assert few == many
    assert many <= 24  # the site header, the scope, figures and trend (5), areas (6)
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    assert len(warm) < many  # the figures came from the cache


@pytest.mark.django_db
def test_a_new_confirmed_report_shows_at_once(client, site_tree):
    add_data(site_tree, members=2)
    assert figure_value(client.get(URL).content.decode(), "members_reported") == 2
    factories.ReportFactory(community=site_tree.community, state=Report.State.CONFIRMED)
    assert figure_value(client.get(URL).content.decode(), "members_reported") == 3


@pytest.mark.django_db
def test_the_home_page_shows_the_city_figures(client, site_tree):
    add_data(site_tree, members=4)
    html = client.get("/").content.decode()
    assert figure_value(html, "members_reported") == 4
    assert figure_value(html, "communities") == 2
    assert 'href="/statistics/"' in html


@pytest.mark.django_db
def test_each_community_page_shows_its_own_figures(client, site_tree):
    add_data(site_tree, members=4)
    html = client.get(site_tree.community.url).content.decode()
    assert "本社区工作数据" in html
    assert figure_value(html, "members_reported") == 2
    assert f'href="/statistics/?community={site_tree.community.pk}"' in html


@pytest.mark.django_db
def test_a_county_page_shows_its_figures_and_the_index_links_the_statistics(client, site_tree):
    add_data(site_tree, members=4)
    other = factories.CountyPageFactory(parent=site_tree.communities, title="沾益区")
    factories.CommunityPageFactory(parent=other, title="西平社区")
    html = client.get(site_tree.county.url).content.decode()
    assert figure_value(html, "communities") == 2
    assert figure_value(html, "members_reported") == 4
    assert f'href="/statistics/?county={site_tree.county.pk}"' in html
    html = client.get(other.url).content.decode()
    assert figure_value(html, "communities") == 1
    assert figure_value(html, "members_reported") == 0
    assert 'href="/statistics/"' in client.get(site_tree.communities.url).content.decode()


def trend_table(html: str) -> dict[str, list[str]]:
    """The trend table: each month's row of cells, by month (YYYY-MM)."""
    table = html[html.index('<caption id="trend-caption">') :]
    table = table[: table.index("</table>")]
    headings = re.findall(r'<th scope="col">([^<]*)</th>', table)
    rows = re.findall(r'<th scope="row">([^<]*)</th>((?:\s*<td>\d+</td>)+)', table)
    return {"headings": headings} | {
        month: re.findall(r"<td>(\d+)</td>", cells) for month, cells in rows
    }


@pytest.mark.django_db
@pytest.mark.parametrize("scope", ["", "county", "community"])
def test_each_card_equals_the_trend_for_this_month(client, site_tree, scope):
    """The card 听取意见建议 once said 3 while the trend under the same words said 7."""
    from volunteering.voice.models import Feedback

    add_data(site_tree, members=12)
    for kind in (Feedback.Kind.HELP, Feedback.Kind.DISPUTE):  # heard, but not suggestions
        factories.FeedbackFactory(community=site_tree.community, kind=kind, state="accepted")
    ids = {"": "", "county": site_tree.county.pk, "community": site_tree.community.pk}
    html = client.get(f"{URL}?{scope}={ids[scope]}" if scope else URL).content.decode()
    table = trend_table(html)
    this_month = table[timezone.localdate().strftime("%Y-%m")]
    assert table["headings"][1:] == ["报到在职党员", "开展服务活动", "听取意见建议"]
    for key, cell in zip(
        ["members_reported", "activities_held", "suggestions_heard"], this_month, strict=True
    ):
        assert figure_value(html, key) == int(cell), key
    assert figure_value(html, "suggestions_heard") >= 1
