"""The page explorer reads the page it explores in one query, its explorable root without reading
it again, the choices of its page type and site filters and its router's page type from caches
(portal/page_explorer.py): each answer the same as Wagtail's own reading."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, Site, get_page_content_types
from wagtail.permission_policies.pages import PagePermissionPolicy

from portal.page_explorer import explorable_root, explored_page
from tests import factories


def wagtails_reading(pk) -> Page:
    """The page as Wagtail's explorer read it (`ExplorableIndexView.get`)."""
    return Page.objects.all().prefetch_workflow_states().get(pk=pk).specific


def facts(page: Page) -> dict:
    return {
        "type": type(page),
        "title": page.title,
        "workflow_state": page.current_workflow_state,
        "in_moderation": page.workflow_in_progress,
        "scheduled": page.scheduled_revision,
        "approved_schedule": page.approved_schedule,
        "latest_revision": page.get_latest_revision(),
        "live_revision": page.live_revision,
        "latest_as_object": page.get_latest_revision_as_object().title,
    }


def in_moderation_with_a_schedule(community, staff) -> Page:
    page = factories.ActivityPageFactory(parent=community, title="待审活动", live=False)
    page.save_revision(user=staff, approved_go_live_at=timezone.now() + datetime.timedelta(days=3))
    page.get_workflow().start(page, staff)
    return page


def test_the_explored_page_is_wagtails_in_one_query(site_tree):
    with CaptureQueriesContext(connection) as captured:
        page = explored_page(site_tree.community.pk)
        read = facts(page)
    assert len(captured) == 1, [q["sql"] for q in captured.captured_queries]
    assert read == facts(wagtails_reading(site_tree.community.pk))
    assert page._branch_has_live_page is True


def test_a_page_in_moderation_with_a_schedule_is_read_as_wagtail_reads_it(site_tree):
    staff = factories.community_staff(site_tree.community, "staff-moderation")
    page = in_moderation_with_a_schedule(site_tree.community, staff)
    explored = explored_page(page.pk)
    assert explored.workflow_in_progress and explored.scheduled_revision is not None
    assert facts(explored) == facts(wagtails_reading(page.pk))
    assert explored._branch_has_live_page is False


def test_the_explorer_of_a_page_in_moderation_shows_it(site_tree, client):
    staff = factories.community_staff(site_tree.community, "staff-side-panel")
    page = in_moderation_with_a_schedule(site_tree.community, staff)
    client.force_login(staff)
    response = client.get(reverse("wagtailadmin_explore", args=[page.pk]))
    assert response.status_code == 200
    assert response.context["parent_page"].workflow_in_progress
    assert response.context["view"].scheduled_page is not None


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


@pytest.mark.parametrize("communities", [1, 2])
def test_the_explorable_root_is_wagtails(site_tree, communities):
    staff = factories.community_staff(site_tree.community, "staff-root")
    if communities == 2:
        group = staff.groups.exclude(page_permissions=None).first()
        for permission in GroupPagePermission.objects.filter(group=group):
            GroupPagePermission.objects.get_or_create(
                group=group, page=site_tree.other_community, permission=permission.permission
            )
    policy = PagePermissionPolicy()
    ours = explorable_root(policy, fresh(staff))
    wagtails = policy.explorable_root_instance(fresh(staff))
    assert ours.pk == wagtails.pk
    assert ours.pk == (site_tree.community if communities == 1 else site_tree.county).pk


def test_a_superusers_explorable_root_is_the_trees_root(site_tree):
    superuser = get_user_model().objects.create_superuser("root-reader", "r@example.com", "x")
    assert explorable_root(PagePermissionPolicy(), superuser).pk == Page.get_first_root_node().pk


def filter_choices(client, page, name) -> list:
    response = client.get(reverse("wagtailadmin_explore", args=[page.pk]))
    field = response.context["filters"].form.fields[name]
    return [(str(value), label) for value, label in field.choices]


def test_the_filters_offer_wagtails_page_types_and_sites(site_tree, client):
    client.force_login(get_user_model().objects.create_superuser("f", "f@example.com", "x"))
    page_types = get_page_content_types(include_base_page_type=False)
    choices = filter_choices(client, site_tree.community, "content_type")
    assert [value for value, _ in choices] == [str(ct.pk) for ct in page_types]
    assert [value for value, _ in filter_choices(client, site_tree.community, "site")] == [
        str(site.pk) for site in Site.objects.all()
    ]
    site = Site.objects.get(is_default_site=True)
    site.site_name = "改名后的站点"
    site.save()
    assert (str(site.pk), str(site)) in filter_choices(client, site_tree.community, "site")
    assert "改名后的站点" in str(site)


def test_filtering_by_page_type_still_works(site_tree, client):
    factories.ActivityPageFactory(parent=site_tree.community, title="按类型找到的活动")
    client.force_login(get_user_model().objects.create_superuser("t", "t@example.com", "x"))
    activity_type = next(
        ct for ct in get_page_content_types(False) if ct.model == "activitypage"
    ).pk
    url = reverse("wagtailadmin_explore", args=[site_tree.community.pk])
    html = client.get(f"{url}?content_type={activity_type}").content.decode()
    assert "按类型找到的活动" in html


def test_the_explorer_of_a_deleted_page_is_a_404(site_tree, client):
    page = factories.StandardPageFactory(parent=site_tree.community, title="将被删除")
    client.force_login(get_user_model().objects.create_superuser("d", "d@example.com", "x"))
    url = reverse("wagtailadmin_explore", args=[page.pk])
    assert client.get(url).status_code == 200  # its page type now in the cache
    page.delete()
    assert client.get(url).status_code == 404
    assert client.get(reverse("wagtailadmin_explore", args=[999999])).status_code == 404
