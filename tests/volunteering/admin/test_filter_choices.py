"""The admin lists' community and organisation filters offer what the user's lists are about
(`scopes.communities_in_view_of` / `organisations_in_view_of`): their own communities and the
organisations linked or reported to them for staff, their own organisation for its admins,
everything only for the city. At city scale (256 communities, 1,476 organisations) staff's
filters stay a few options long, and the lists' queries do not grow with the city."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.volunteering.admin.support import url

# (list, its organisation filter, its community filter)
LISTS = [
    ("report", "organisation", "community"),
    ("signup", "organisation", "community"),
    ("member", "organisation", "residence_community"),
    ("needclaim", "organisation", "community"),
]


def options(client, path: str, name: str) -> set[str]:
    """The labels of the options of the filter `name` as rendered on the list page."""
    page = client.get(path).content.decode()
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no filter {name} on {path}"
    labels = re.findall(r'<option value="(\d+)"[^>]*>(.*?)</option>', select[1], re.S)
    return {html.unescape(label).strip() for _, label in labels}


@pytest.fixture
def city_scale(world):
    """More communities and organisations nobody but the city deals with."""
    county = world.a.community.get_parent()
    for n in range(5):
        factories.CommunityPageFactory(parent=county, title=f"远处社区{n}")
        factories.OrganisationFactory(name=f"远处单位{n}")


@pytest.mark.parametrize("model, organisation, community", LISTS)
def test_staff_filters_offer_only_their_community_and_its_organisations(
    world, client, city_scale, model, organisation, community
):
    client.force_login(world.a.staff)
    path = url(model, "index")
    assert options(client, path, organisation) == {world.organisation_a.name}
    assert options(client, path, community) == {world.a.community.title}


@pytest.mark.parametrize("model, organisation, community", LISTS[:3])  # not claims: staff's
def test_organisation_admins_filters_offer_their_organisation_and_its_communities(
    world, client, city_scale, model, organisation, community
):
    client.force_login(world.organisation_admin)
    path = url(model, "index")
    assert options(client, path, organisation) == {world.organisation_a.name}
    assert options(client, path, community) == {world.a.community.title}


def test_an_organisation_linked_to_the_community_is_offered_to_its_staff(world, client):
    linked = factories.OrganisationFactory(name="挂钩单位", linked_community=world.a.community)
    client.force_login(world.a.staff)
    assert linked.name in options(client, url("report", "index"), "organisation")


@pytest.mark.parametrize("model, organisation, community", LISTS)
def test_the_city_gets_choosers_not_selects_on_every_list(
    world, client, city_scale, model, organisation, community
):
    """Rendering 256 communities as options on every page of a list cost the city's sign-ups
    list more than its rows (1.26× the small city's time in the bench, 257 options)."""
    client.force_login(world.city)
    page = client.get(url(model, "index")).content.decode()
    assert f'<select name="{organisation}"' not in page
    assert f'<select name="{community}"' not in page
    assert "远处单位" not in page and "远处社区" not in page
    assert reverse("wagtailadmin_choose_page") in page


@pytest.mark.parametrize("model", ["report", "signup"])
def test_the_city_picks_communities_and_organisations_through_choosers(
    world, client, city_scale, model
):
    """Every community and every organisation is too many to render on every list (256 and
    1,476 at city scale): the city picks one in a searchable modal (Wagtail's page chooser for
    communities, browsing county by county), whose choice filters the list like a select."""
    client.force_login(world.city)
    path = url(model, "index")
    page = client.get(path).content.decode()
    assert reverse("volunteering_organisation_chooser:choose") in page
    assert reverse("wagtailadmin_choose_page") in page
    chosen = client.get(path, {"organisation": world.organisation_b.pk}).content.decode()
    assert world.b.member.real_name in chosen and world.a.member.real_name not in chosen
    chosen = client.get(path, {"community": world.b.community.pk}).content.decode()
    assert world.b.member.real_name in chosen and world.a.member.real_name not in chosen
    # The chosen community is shown by name on the filtered list.
    assert world.b.community.title in chosen


def chooser_results(client, query: str) -> str:
    path = reverse("volunteering_organisation_chooser:choose_results")
    response = client.get(path, {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def test_the_organisation_chooser_searches_by_name_within_the_users_scope(
    world, client, city_scale
):
    client.force_login(world.city)
    found = chooser_results(client, "远处单位3")
    assert "远处单位3" in found and "远处单位4" not in found
    client.force_login(world.a.staff)
    assert "远处单位" not in chooser_results(client, "远处")
    assert world.organisation_a.name in chooser_results(client, "")
    assert world.organisation_b.name not in chooser_results(client, "")


@pytest.mark.parametrize("model, organisation, community", LISTS)
def test_staff_lists_queries_do_not_grow_with_the_city(
    world, client, django_assert_max_num_queries, model, organisation, community
):
    client.force_login(world.a.staff)
    path = url(model, "index")
    client.get(path)  # warm the caches
    with CaptureQueriesContext(connection) as small:
        client.get(path)
    county = world.a.community.get_parent()
    for _ in range(20):
        factories.CommunityPageFactory(parent=county)
        factories.OrganisationFactory()
    with django_assert_max_num_queries(len(small)):
        response = client.get(path)
    assert response.status_code == 200
