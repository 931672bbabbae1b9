"""Demonstration communities (示范点): the city designates three to five per county and year in
the admin (a warning below three, a sixth refused with a translated error); only the city; a
badge on the community page for the current year, in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.factories import community_staff
from volunteering.assessment.models import DemonstrationCommunity
from volunteering.assessment.selectors import TOO_FEW, TOO_MANY
from volunteering.assessment.services import DEMONSTRATION_DUPLICATE, DEMONSTRATION_TOO_MANY
from volunteering.communities.models import CommunityPage

YEAR = timezone.localdate().year
URL = "volunteering_demonstrations"


@pytest.fixture
def world(site_tree, city):
    w = type("World", (), {})()
    w.county = site_tree.county
    w.other_county = factories.CountyPageFactory(
        parent=site_tree.communities, title="沾益区", slug="zhanyi"
    )
    # 麒麟区 has 麒麟社区 and 方城社区 already: four more make six.
    w.communities = [site_tree.community, site_tree.other_community] + [
        factories.CommunityPageFactory(parent=site_tree.county, title=f"示范候选社区{n}")
        for n in range(4)
    ]
    w.zhanyi_community = factories.CommunityPageFactory(parent=w.other_county, title="西平社区")
    w.city = city
    w.staff = community_staff(site_tree.community, "qilin-staff")
    return w


def designate(client, community, year=YEAR, note=""):
    return client.post(
        reverse(URL), {"community": community.pk, "year": year, "note": note}, follow=False
    )


def county_item(response, county):
    return next(item for item in response.context["counties"] if item.county.pk == county.pk)


def test_the_city_designates_up_to_five_and_the_sixth_is_refused(world, client):
    client.force_login(world.city)
    for community in world.communities[:5]:
        assert designate(client, community, note="党建引领").status_code == 302
    rows = DemonstrationCommunity.objects.filter(year=YEAR, county=world.county)
    assert rows.count() == 5
    assert {r.designated_by for r in rows} == {world.city}

    response = designate(client, world.communities[5])
    assert response.status_code == 422
    expected = DEMONSTRATION_TOO_MANY % {"county": "麒麟区", "year": YEAR, "max": 5}
    assert str(expected) in response.content.decode()
    assert rows.count() == 5
    # Another county and another year are counted apart.
    assert designate(client, world.zhanyi_community).status_code == 302
    assert designate(client, world.communities[5], year=YEAR - 1).status_code == 302


def test_the_same_community_twice_in_a_year_is_refused(world, client):
    client.force_login(world.city)
    designate(client, world.communities[0])
    response = designate(client, world.communities[0])
    assert response.status_code == 422
    expected = DEMONSTRATION_DUPLICATE % {"community": "麒麟社区", "year": YEAR}
    assert str(expected) in response.content.decode()
    assert DemonstrationCommunity.objects.count() == 1


def test_the_admin_warns_when_a_county_has_fewer_than_three(world, client):
    client.force_login(world.city)
    designate(client, world.communities[0])
    designate(client, world.communities[1])
    response = client.get(f"{reverse(URL)}?year={YEAR}")
    qilin = county_item(response, world.county)
    assert qilin.count == 2
    expected = TOO_FEW % {"county": "麒麟区", "year": YEAR, "count": 2}
    assert qilin.warning == expected
    html = response.content.decode()
    assert str(expected) in html
    # A county with none at all is warned about too.
    assert str(TOO_FEW % {"county": "沾益区", "year": YEAR, "count": 0}) in html

    designate(client, world.communities[2])
    response = client.get(f"{reverse(URL)}?year={YEAR}")
    assert county_item(response, world.county).warning == ""


def test_the_admin_warns_when_a_county_has_more_than_five(world, client):
    # Designations made before the rule (e.g. imported) are shown with a warning.
    for community in world.communities:
        DemonstrationCommunity.objects.create(community=community, county=world.county, year=YEAR)
    client.force_login(world.city)
    response = client.get(f"{reverse(URL)}?year={YEAR}")
    expected = TOO_MANY % {"county": "麒麟区", "year": YEAR, "count": 6}
    assert county_item(response, world.county).warning == expected
    assert str(expected) in response.content.decode()


def test_the_city_withdraws_a_designation(world, client):
    client.force_login(world.city)
    designate(client, world.communities[0])
    row = DemonstrationCommunity.objects.get()
    client.post(reverse(URL), {"withdraw": row.pk})
    assert not DemonstrationCommunity.objects.exists()
    assert DemonstrationCommunity.history.filter(history_type="-").count() == 1


def test_only_the_city_designates(world, client, org_admin):
    for user in (world.staff, org_admin):
        client.force_login(user)
        assert client.get(reverse(URL)).status_code in (302, 403)
        designate(client, world.communities[0])
    assert not DemonstrationCommunity.objects.exists()


def publish(page):
    page.save_revision().publish()
    return CommunityPage.objects.get(pk=page.pk)


def test_the_community_page_shows_the_badge_for_the_current_year_only(world, client):
    community = publish(world.communities[0])
    other = publish(world.communities[1])
    client.force_login(world.city)
    designate(client, community)
    designate(client, other, year=YEAR - 1)
    client.logout()
    assert "示范点" in client.get(community.url).content.decode()
    assert "示范点" not in client.get(other.url).content.decode()


def test_the_badge_costs_no_query_once_the_year_s_list_is_read(world, client):
    """This year's demonstration communities are cached; a designation shows at once."""
    community = publish(world.communities[0])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(community.url).content.decode()
        return len(ctx.captured_queries), html

    count()  # warm the per-process caches
    before, html = count()
    assert "示范点" not in html
    DemonstrationCommunity.objects.create(community=community, county=world.county, year=YEAR)
    _first, html = count()  # reads the year's list again
    assert "示范点" in html
    after, html = count()
    assert "示范点" in html
    assert after == before
    assert not [q for q in after_queries(client, community) if "demonstrationcommunity" in q]


def after_queries(client, page) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        client.get(page.url)
    return [q["sql"] for q in ctx.captured_queries]
