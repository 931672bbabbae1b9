"""The editorial workflows exist from the data migration, and each page kind gets its own."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Workflow, WorkflowPage

from tests import factories
from workflows.editorial import CITY_REVIEWERS, editorial_workflow
from workflows.models import CommunityReviewTask, EditorialWorkflow

pytestmark = pytest.mark.django_db


def task_names(workflow):
    return [task.name for task in workflow.tasks]


def test_the_data_migration_creates_both_workflows_and_the_city_reviewers():
    two_step = editorial_workflow(EditorialWorkflow.Kind.TWO_STEP)
    community = editorial_workflow(EditorialWorkflow.Kind.COMMUNITY)
    assert task_names(two_step) == ["社区审核", "发布审批"]
    assert task_names(community) == ["社区审核"]
    city = Group.objects.get(name=CITY_REVIEWERS)
    assert city.permissions.filter(codename="access_admin").exists()
    review = CommunityReviewTask.objects.get()
    assert list(review.groups.all()) == [city]
    assert list(two_step.tasks[1].specific.groups.all()) == [city]


def test_news_and_brand_pages_need_two_steps_activities_and_communities_one(site_tree):
    two_step = editorial_workflow(EditorialWorkflow.Kind.TWO_STEP)
    community_only = editorial_workflow(EditorialWorkflow.Kind.COMMUNITY)
    community = site_tree.community
    channel = factories.NewsIndexPageFactory(parent=community, slug="news")
    expected = {
        factories.NewsPageFactory(parent=site_tree.news): two_step,
        factories.NewsPageFactory(parent=channel): two_step,
        factories.BrandProjectPageFactory(parent=community): two_step,
        factories.ActivityPageFactory(parent=community): community_only,
        community: community_only,
        channel: community_only,
        site_tree.news: two_step,
        site_tree.home: two_step,
        site_tree.county: two_step,
        factories.StandardPageFactory(parent=site_tree.home): two_step,
    }
    for page, workflow in expected.items():
        page = page.specific
        assert page.get_workflow() == workflow, page
        assert page.has_workflow, page


def test_a_workflow_assigned_in_the_admin_wins(site_tree):
    own = Workflow.objects.create(name="专项审核")
    WorkflowPage.objects.create(page=site_tree.community, workflow=own)
    activity = factories.ActivityPageFactory(parent=site_tree.community)
    assert activity.get_workflow() == own
    assert site_tree.other_community.specific.get_workflow() == editorial_workflow(
        EditorialWorkflow.Kind.COMMUNITY
    )


def test_make_reviewer_scopes_a_community_reviewer_to_their_community(site_tree):
    reviewer = factories.make_reviewer(site_tree.community)
    city = factories.make_reviewer()
    assert reviewer.groups.get().name == "麒麟社区审核人"
    assert reviewer.groups.get().review_scopes.get().page_id == site_tree.community.pk
    assert city.groups.get().name == CITY_REVIEWERS
    assert reviewer.has_perm("wagtailadmin.access_admin")
