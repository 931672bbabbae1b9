"""Each reviewer's queue (the dashboard's "等待您审核" panel) holds exactly what awaits them,
and costs the same however long it is; reviewers reach the editor of what awaits them only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page

from tests import factories
from tests.workflows.editorial_helpers import act, edit_url, make_people
from workflows.models import ReviewScope

PER_ROW = 10  # queries Wagtail's "等待你的审查" panel spends on each row


@pytest.fixture
def people(site_tree):
    return make_people(site_tree)


def submitted(page: Page, user) -> Page:
    """Submit a draft as its author does (the same call the admin's submit action makes)."""
    page.save_revision(user=user)
    page.get_workflow().start(page, user)
    return page


def city_news(site_tree, people, title):
    page = factories.NewsPageFactory(parent=site_tree.news, title=title, live=False)
    return submitted(page, people.editor)


def activity(community, staff, title):
    page = factories.ActivityPageFactory(parent=community, title=title, live=False)
    return submitted(page, staff)


def queue(client, user) -> set[str]:
    """The titles in the user's dashboard panel "等待您审核"."""
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    panel = next(
        (p for p in response.context["panels"] if p.name == "workflow_objects_to_moderate"),
        None,
    )
    if panel is None:
        return set()
    context = panel.get_context_data({"request": response.wsgi_request, "csrf_token": ""})
    return {state["obj"].title for state in context["states"]}


@pytest.fixture
def pending(site_tree, people):
    return {
        "city": city_news(site_tree, people, "全市新闻"),
        "qilin": activity(site_tree.community, people.staff, "麒麟活动"),
        "fangcheng": activity(site_tree.other_community, people.other_staff, "方城活动"),
    }


def test_each_reviewer_sees_exactly_their_own_queue(client, people, pending):
    assert queue(client, people.reviewer) == {"麒麟活动"}
    assert queue(client, people.other_reviewer) == {"方城活动"}
    assert queue(client, people.city_reviewer) == {"全市新闻"}
    assert queue(client, people.superuser) == {"全市新闻", "麒麟活动", "方城活动"}
    for author in (people.editor, people.staff, people.other_staff):
        assert queue(client, author) == set()


def test_the_queue_moves_to_the_city_after_the_community_review(client, people, site_tree):
    channel = factories.NewsIndexPageFactory(parent=site_tree.community, slug="news")
    page = submitted(
        factories.NewsPageFactory(parent=channel, title="社区新闻", live=False), people.staff
    )
    assert queue(client, people.reviewer) == {"社区新闻"}
    assert queue(client, people.city_reviewer) == set()
    client.force_login(people.reviewer)
    act(client, page, "approve")
    assert queue(client, people.reviewer) == set()
    assert queue(client, people.city_reviewer) == {"社区新闻"}


def test_the_dashboard_says_so_in_chinese(client, people, pending):
    client.force_login(people.reviewer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "麒麟活动" in html and "方城活动" not in html
    assert "等待你的审查" in html  # Wagtail's own catalogue's words for the panel


def test_a_nearer_scope_wins_over_one_further_up(client, people, site_tree, pending):
    """A county-wide reviewer group does not review a community that has its own."""
    county_reviewer = factories.make_reviewer(site_tree.county, username="county_reviewer")
    assert queue(client, county_reviewer) == set()
    ReviewScope.objects.filter(page=site_tree.other_community).delete()
    assert queue(client, county_reviewer) == {"方城活动"}
    assert queue(client, people.other_reviewer) == set()


def test_reviewers_open_the_editor_only_of_what_awaits_them(client, people, pending):
    client.force_login(people.reviewer)
    assert client.get(edit_url(pending["qilin"])).status_code == 200
    assert client.get(edit_url(pending["fangcheng"])).status_code != 200
    assert client.get(edit_url(pending["city"])).status_code != 200
    client.force_login(people.other_staff)  # the author: locked while in review
    html = client.get(edit_url(pending["fangcheng"])).content.decode()
    assert 'name="action-submit"' not in html


def dashboard_queries(client, user) -> list[str]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("wagtailadmin_home")).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_the_review_scopes_are_read_once_however_long_the_queue(client, people, site_tree):
    activity(site_tree.community, people.staff, "活动")
    few = dashboard_queries(client, people.reviewer)
    for n in range(5):
        activity(site_tree.community, people.staff, f"活动{n}")
    many = dashboard_queries(client, people.reviewer)

    def scope_reads(queries):
        return sum('FROM "workflows_reviewscope"' in sql for sql in queries)

    assert scope_reads(few) == scope_reads(many) == 1
    # Wagtail's own panel loads each row's task and workflow steps: a fixed cost per row,
    # bounded here so that it cannot creep up unnoticed.
    assert len(many) - len(few) <= 5 * PER_ROW, (len(few), len(many))
