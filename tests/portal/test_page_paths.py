"""Pages found through an index, not a walk of the page tree (portal/page_paths.py)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.page_paths import descendant_paths, first_page_of_type
from tests import factories
from volunteering.communities.models import CommunityIndexPage, CountyPage


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def test_descendant_paths_hold_the_descendants_and_nothing_else(site_tree):
    factories.ActivityPageFactory(parent=site_tree.community)
    low, high = descendant_paths(site_tree.community.path)
    below = {p.pk for p in site_tree.community.get_descendants()}
    in_range = site_tree.home.get_descendants().filter(path__range=(low, high))
    found = set(in_range.values_list("pk", flat=True))
    assert below and found == below


def test_the_first_page_of_a_type_is_the_first_live_one_in_tree_order(site_tree):
    later = factories.CountyPageFactory(parent=site_tree.communities, title="另一个县")
    assert first_page_of_type(CountyPage) == site_tree.county
    site_tree.county.unpublish()
    assert first_page_of_type(CountyPage) == later
    assert first_page_of_type(CountyPage, root=site_tree.news) is None
    assert first_page_of_type(CommunityIndexPage, root=site_tree.home) == site_tree.communities


def test_the_first_page_of_a_type_is_found_through_the_types_index(site_tree):
    first_page_of_type(CommunityIndexPage)  # content types cached
    with CaptureQueriesContext(connection) as captured:
        first_page_of_type(CommunityIndexPage, root=site_tree.home)
    [sql] = [q["sql"] for q in captured.captured_queries]
    if connection.vendor == "sqlite":  # PostgreSQL plans a test's tiny tables by their size
        plan = _plan(sql)
        assert "content_type_id=?" in plan and "SCAN wagtailcore_page" not in plan, plan
