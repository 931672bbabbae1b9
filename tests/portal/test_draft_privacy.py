"""No draft leaks: every Wagtail admin view that lists pages shows staff of one community only
live pages and pages they may edit. Before `portal.draft_privacy`, the page chooser (browse and
search) and the page types report showed another community's unpublished titles."""

import pytest
from django.urls import reverse

from tests import factories
from tests.factories import admin_user, community_staff

THEIR_DRAFT = "方城社区未发布草稿甲"
OUR_DRAFT = "麒麟社区未发布草稿乙"
THEIR_LIVE = "方城社区已发布页面丙"


@pytest.fixture
def pages(site_tree):
    other = site_tree.other_community
    return {
        "their_draft": factories.StandardPageFactory(parent=other, title=THEIR_DRAFT, live=False),
        "our_draft": factories.StandardPageFactory(
            parent=site_tree.community, title=OUR_DRAFT, live=False
        ),
        "their_live": factories.StandardPageFactory(parent=other, title=THEIR_LIVE),
    }


@pytest.fixture
def staff(site_tree):
    return community_staff(site_tree.community, "qilin-admin")


def text(response) -> str:
    """What the user sees: the chooser answers JSON whose "html" holds the listing (a plain
    decode would see only \\u escapes, and a check for a title could never fail)."""
    if response["Content-Type"].startswith("application/json"):
        return response.json()["html"]
    return response.content.decode()


def listing_urls(site_tree) -> dict[str, str]:
    """Every Wagtail admin view that lists pages by title."""
    other = site_tree.other_community.pk
    return {
        "chooser browse": reverse("wagtailadmin_choose_page_child", args=(other,)),
        "chooser search": reverse("wagtailadmin_choose_page_search") + "?q=社区",
        "explorer": reverse("wagtailadmin_explore", args=(other,)),
        "page search": reverse("wagtailadmin_pages:search") + "?q=社区",
        "aging pages": reverse("wagtailadmin_reports:aging_pages"),
        "locked pages": reverse("wagtailadmin_reports:locked_pages"),
        "workflows": reverse("wagtailadmin_reports:workflow"),
        "workflow tasks": reverse("wagtailadmin_reports:workflow_tasks"),
        "site history": reverse("wagtailadmin_reports:site_history"),
        "page types": reverse("wagtailadmin_reports:page_types_usage"),
        "page types results": reverse("wagtailadmin_reports:page_types_usage_results"),
    }


def test_no_listing_shows_another_communitys_draft(site_tree, pages, staff, client):
    client.force_login(staff)
    for name, url in listing_urls(site_tree).items():
        response = client.get(url)
        assert response.status_code < 500, name
        assert THEIR_DRAFT not in text(response), name


def test_the_chooser_still_offers_live_pages_and_ones_own_drafts(site_tree, pages, staff, client):
    client.force_login(staff)
    their = client.get(
        reverse("wagtailadmin_choose_page_child", args=(site_tree.other_community.pk,))
    )
    assert THEIR_LIVE in text(their)
    ours = client.get(reverse("wagtailadmin_choose_page_child", args=(site_tree.community.pk,)))
    assert OUR_DRAFT in text(ours)
    found = client.get(reverse("wagtailadmin_choose_page_search") + "?q=草稿乙")
    assert OUR_DRAFT in text(found)


def test_the_page_types_report_is_for_whole_site_editors(site_tree, pages, staff, client):
    url = reverse("wagtailadmin_reports:page_types_usage")
    client.force_login(staff)
    assert client.get(url).status_code == 403
    assert url not in client.get(reverse("wagtailadmin_home")).content.decode()

    client.force_login(admin_user("root-editor", is_superuser=True))
    response = client.get(url)
    assert response.status_code == 200
    assert url in client.get(reverse("wagtailadmin_home")).content.decode()


def test_a_superuser_still_chooses_any_draft(site_tree, pages, client):
    client.force_login(admin_user("root-chooser", is_superuser=True))
    response = client.get(
        reverse("wagtailadmin_choose_page_child", args=(site_tree.other_community.pk,))
    )
    assert THEIR_DRAFT in text(response)
