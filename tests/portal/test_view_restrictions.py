"""Wagtail's view restrictions read from the shared cache (portal/view_restrictions.py): public
pages no longer read the restrictions table on every request, and a private section is still
left out of every list and asks for a login the moment it is made private."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests import factories

RESTRICTIONS_TABLE = "wagtailcore_pageviewrestriction"


def _queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_public_pages_do_not_read_the_restrictions_on_every_request(client, site_tree):
    factories.NewsPageFactory(parent=site_tree.news)
    for page in (site_tree.home, site_tree.news, site_tree.community):
        _queries(client, page.url)  # the first request of a process reads them once
        again = _queries(client, page.url)
        assert not [sql for sql in again if RESTRICTIONS_TABLE in sql], page.url


def test_a_section_made_private_leaves_the_lists_at_once(client, site_tree):
    factories.NewsPageFactory(parent=site_tree.news, title="公开新闻")
    assert "公开新闻" in client.get("/").content.decode()  # the list is cached now

    restriction = PageViewRestriction.objects.create(
        page=site_tree.news, restriction_type=PageViewRestriction.LOGIN
    )
    assert "公开新闻" not in client.get("/").content.decode()
    assert client.get(site_tree.news.url).status_code == 302  # to the login page

    restriction.delete()
    assert "公开新闻" in client.get("/").content.decode()
    assert client.get(site_tree.news.url).status_code == 200


def test_a_private_section_moved_elsewhere_stays_private(client, site_tree):
    """Moving the restricted page moves the paths its restriction covers."""
    channel = factories.NewsIndexPageFactory(parent=site_tree.community, title="内部栏目")
    PageViewRestriction.objects.create(page=channel, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(channel.url).status_code == 302  # the restrictions are cached now

    channel.move(site_tree.other_community, pos="last-child")
    channel.refresh_from_db()
    assert client.get(channel.url).status_code == 302
    assert "内部栏目" not in client.get(site_tree.other_community.url).content.decode()
