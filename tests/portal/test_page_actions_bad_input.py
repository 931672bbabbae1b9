"""The 500s the page actions' corpus test (`test_page_actions_fuzz.py`) found, each fixed at
its cause and pinned here on its own: a `next` that is no path after a page action (Wagtail's
views, `portal.next_guard`), and a copy to a parent that does not exist
(`portal.page_editing.PageCopyView`)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from portal.next_guard import usable_next
from tests import factories

NOT_PATHS = ["-1", "99999999999999999999"]


@pytest.fixture
def root(site_tree):
    client = Client()
    client.force_login(factories.UserFactory(username="root-acts", is_superuser=True))
    return client


@pytest.fixture
def page(site_tree):
    return factories.StandardPageFactory(parent=site_tree.community, title="办事指南")


@pytest.mark.parametrize("following", NOT_PATHS)
def test_unscheduling_a_pages_revision_with_a_next_that_is_no_path_is_done_not_a_500(
    root, page, following
):
    revision = page.save_revision()
    revision.approved_go_live_at = timezone.now() + datetime.timedelta(days=2)
    revision.save()
    url = reverse("wagtailadmin_pages:revisions_unschedule", args=[page.pk, revision.pk])
    response = root.post(url, {"next": following})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/")
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None  # done, and says so


@pytest.mark.parametrize("following", NOT_PATHS)
@pytest.mark.parametrize("action", ["lock", "unlock", "unpublish"])
def test_a_page_action_with_a_next_that_is_no_path_goes_back_to_the_admin(
    root, page, action, following
):
    response = root.post(
        reverse(f"wagtailadmin_pages:{action}", args=[page.pk]), {"next": following}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/")


def test_a_next_that_is_a_path_or_an_address_is_kept(root, page):
    url = reverse("wagtailadmin_pages:lock", args=[page.pk])
    response = root.post(url, {"next": "/admin/pages/"})
    assert response["Location"] == "/admin/pages/"
    assert usable_next("https://example.com/") and usable_next("/a/b")
    assert not any(usable_next(text) for text in ("//evil.example/", "/\\evil", "-1", "?x=1"))


@pytest.mark.parametrize("forged", ["2147483647", "1e400", ""])
def test_copying_a_page_under_a_parent_that_does_not_exist_is_a_form_error(root, page, forged):
    before = Page.objects.count()
    data = {"new_title": "复制", "new_slug": "fu-zhi", "new_parent_page": forged}
    response = root.post(reverse("wagtailadmin_pages:copy", args=[page.pk]), data)
    assert response.status_code == 200
    assert "error" in response.content.decode()
    assert Page.objects.count() == before


@pytest.mark.parametrize("go_live_at", ["0001-01-01 00:00", "9999-12-31 23:59"])
def test_scheduling_a_page_in_a_year_utc_cannot_hold_is_a_form_error(root, page, go_live_at):
    """A year-1 date went through the form and failed converted to UTC: an OverflowError."""
    revisions = page.revisions.count()
    data = {
        "title": "办事指南",
        "slug": page.slug,
        "body-count": "0",
        "go_live_at": go_live_at,
        "action-publish": "1",
    }
    response = root.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 200
    assert "日期超出可用范围" in response.content.decode()
    assert page.revisions.count() == revisions
    assert Page.objects.get(pk=page.pk).specific.go_live_at is None
