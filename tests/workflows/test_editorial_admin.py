"""The admin around the editorial workflow: review scopes under Settings, revisions compared
and reverted (the revert recorded), and nothing reacting to a publication that is only
scheduled."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry
from wagtail.signals import page_published

from news.models import NewsPage
from tests import factories
from tests.workflows.editorial_helpers import make_people, news_form, refused
from workflows.models import ReviewScope

PROJECT_APPS = ("portal", "news", "volunteering", "workflows")


@pytest.fixture
def people(site_tree):
    return make_people(site_tree)


# --- Review scopes (审核范围) --------------------------------------------------------------


def test_the_superuser_adds_a_communitys_reviewers_in_settings(client, people, site_tree):
    group = Group.objects.create(name="方城社区新审核人")
    client.force_login(people.superuser)
    listing = client.get(reverse("review_scopes:index"))
    assert listing.status_code == 200
    assert "审核范围" in listing.content.decode()
    response = client.post(
        reverse("review_scopes:add"), {"group": group.pk, "page": site_tree.other_community.pk}
    )
    assert response.status_code == 302
    assert ReviewScope.objects.filter(group=group, page=site_tree.other_community).exists()


@pytest.mark.parametrize("role", ["editor", "staff", "reviewer", "city_reviewer"])
def test_nobody_else_manages_review_scopes(client, people, role):
    client.force_login(getattr(people, role))
    assert refused(client.get(reverse("review_scopes:index")))
    assert refused(client.post(reverse("review_scopes:add"), {}))


# --- Revisions -------------------------------------------------------------------------------


def test_staff_compare_two_revisions_and_revert_and_the_revert_is_recorded(
    client, people, site_tree
):
    channel = factories.NewsIndexPageFactory(parent=site_tree.community, slug="news")
    page = factories.NewsPageFactory(parent=channel, slug="item", title="旧标题", live=False)
    first = page.save_revision(user=people.staff)
    page.title = "新标题"
    second = page.save_revision(user=people.staff)
    client.force_login(people.staff)

    compare = client.get(
        reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, first.pk, second.pk))
    )
    assert compare.status_code == 200
    html = compare.content.decode()
    assert "旧标题" in html and "新标题" in html

    revert_url = reverse("wagtailadmin_pages:revisions_revert", args=(page.pk, first.pk))
    assert client.get(revert_url).status_code == 200
    assert client.post(revert_url, news_form("旧标题", "item")).status_code == 302

    assert NewsPage.objects.get(pk=page.pk).get_latest_revision().content["title"] == "旧标题"
    entry = PageLogEntry.objects.get(page=page, action="wagtail.revert")
    assert entry.user == people.staff
    assert entry.revision_id == NewsPage.objects.get(pk=page.pk).latest_revision_id


# --- Scheduled publication ------------------------------------------------------------------


def project_receivers(sender):
    sync, _async = page_published._live_receivers(sender)
    return [r for r in sync if r.__module__.split(".")[0] in PROJECT_APPS]


def test_nothing_in_the_portal_reacts_to_a_publication_that_is_only_scheduled(site_tree):
    """Wagtail sends page_published when a future publication is scheduled. Every receiver
    of ours must check that the page is live: called with a scheduled page, none writes
    anything or sends mail. (Today the portal has no such receiver; this keeps it so.)"""
    page = factories.NewsPageFactory(parent=site_tree.news, slug="later", live=False)
    page.go_live_at = timezone.now() + datetime.timedelta(days=1)
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    assert not page.live  # scheduled, not published
    for receiver in project_receivers(NewsPage):
        with CaptureQueriesContext(connection) as captured:
            receiver(sender=NewsPage, instance=page, revision=revision)
        writes = [
            q["sql"] for q in captured if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")
        ]
        assert writes == [], receiver
        assert mail.outbox == [], receiver
