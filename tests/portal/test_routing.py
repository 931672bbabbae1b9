"""Finding the page of a URL (portal/routing.py): one query for the whole path instead of two
per level, with Wagtail's answers kept (drafts, routes of their own, unknown paths)."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from tests import factories


def _route(path: str):
    """The page Wagtail's `serve` would answer `path` with, and the queries it took (the site is
    looked up beforehand, as every request does once)."""
    request = RequestFactory().get(path)
    Site.find_for_request(request)
    with CaptureQueriesContext(connection) as captured:
        found = Page.route_for_request(request, path)
    return found, len(captured)


def test_routing_a_page_costs_the_same_queries_at_any_depth(site_tree):
    channel_result, channel_queries = _route(site_tree.news.url)  # depth 3
    community_result, community_queries = _route(site_tree.community.url)  # depth 5
    assert channel_result[0].pk == site_tree.news.pk
    assert community_result[0].pk == site_tree.community.pk
    assert community_queries == channel_queries <= 3


def test_the_routed_page_knows_its_parent_without_a_query(site_tree):
    (page, _args, _kwargs), _queries = _route(site_tree.community.url)
    with CaptureQueriesContext(connection) as captured:
        assert page.get_parent().pk == site_tree.county.pk
    assert len(captured) == 0


def test_pages_at_every_depth_answer_as_before(site_tree, client):
    news = factories.NewsPageFactory(parent=site_tree.news, title="某条新闻")
    brand = factories.BrandProjectPageFactory(parent=site_tree.community, title="小卡片")
    for page in (site_tree.home, site_tree.news, site_tree.county, site_tree.community, news):
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert response.context["page"].pk == page.pk
    # Routes of a page's own (RoutablePageMixin) below it: feeds, cards to print.
    assert client.get(site_tree.news.url + "rss/").status_code == 200
    assert client.get(brand.url + "print/").status_code == 200


def test_unknown_addresses_and_drafts_are_not_found(site_tree, client):
    factories.CommunityPageFactory(parent=site_tree.county, slug="draft", live=False)
    for path in (
        site_tree.county.url + "nowhere/",
        "/nowhere/",
        site_tree.community.url + "nowhere/",
        site_tree.county.url + "draft/",
        site_tree.county.url + "draft/deeper/",
    ):
        assert client.get(path).status_code == 404, path


def test_a_draft_section_still_leads_to_its_live_pages(site_tree, client):
    """As Wagtail's own walk: only the page asked for must be live."""
    Page.objects.filter(pk=site_tree.county.pk).update(live=False)
    assert client.get(site_tree.community.url).status_code == 200


@pytest.mark.parametrize("suffix", ["rss/", "atom/"])
def test_a_child_page_named_like_a_route_does_not_hide_the_route(site_tree, client, suffix):
    """The channel's own route answers first, as in Wagtail's walk."""
    factories.NewsPageFactory(parent=site_tree.news, slug=suffix.strip("/"), title="同名新闻")
    response = client.get(site_tree.news.url + suffix)
    assert response.status_code == 200
    assert "xml" in response["Content-Type"]


@pytest.mark.django_db
def test_the_address_column_is_indexed():
    """The one query of the walk looks pages up by `url_path` (migration portal 0005)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "wagtailcore_page")
    assert any(c["index"] and c["columns"] == ["url_path"] for c in constraints.values())
