"""The editorial workflows exist from the data migration, and each page kind gets its own."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from wagtail.models import GroupApprovalTask, Task, Workflow, WorkflowPage

from tests import factories
from workflows.editorial import CITY_REVIEWERS, editorial_workflow
from workflows.models import CommunityReviewTask, EditorialWorkflow, GroupReviewTask

pytestmark = pytest.mark.django_db


def task_names(workflow):
    return [task.name for task in workflow.tasks]


def test_the_data_migrations_create_the_three_workflows_and_the_city_reviewers():
    two_step = editorial_workflow(EditorialWorkflow.Kind.TWO_STEP)
    community = editorial_workflow(EditorialWorkflow.Kind.COMMUNITY)
    city_workflow = editorial_workflow(EditorialWorkflow.Kind.CITY)
    assert task_names(two_step) == ["社区审核", "发布审批"]
    assert task_names(community) == ["社区审核"]
    assert task_names(city_workflow) == ["编辑部审核", "发布审批"]
    assert city_workflow.tasks[1] == two_step.tasks[1]  # one 发布审批 for the whole city
    city = Group.objects.get(name=CITY_REVIEWERS)
    assert city.permissions.filter(codename="access_admin").exists()
    review = CommunityReviewTask.objects.get()
    assert list(review.groups.all()) == [city]
    for task in (two_step.tasks[1], city_workflow.tasks[0]):
        assert isinstance(task.specific, GroupReviewTask)  # the project's action names
        assert list(task.specific.groups.all()) == [city]


def test_news_and_brand_pages_need_two_steps_activities_and_communities_one(site_tree):
    """Pages a community reviews: 社区审核 (→ 发布审批); pages no community reviews (the
    city's): 编辑部审核 → 发布审批, whatever their kind."""
    two_step = editorial_workflow(EditorialWorkflow.Kind.TWO_STEP)
    community_only = editorial_workflow(EditorialWorkflow.Kind.COMMUNITY)
    city = editorial_workflow(EditorialWorkflow.Kind.CITY)
    community = site_tree.community
    factories.make_reviewer(community)
    channel = factories.NewsIndexPageFactory(parent=community, slug="news")
    expected = {
        factories.NewsPageFactory(parent=site_tree.news): city,
        factories.NewsPageFactory(parent=channel): two_step,
        factories.BrandProjectPageFactory(parent=community): two_step,
        factories.ActivityPageFactory(parent=community): community_only,
        community: community_only,
        channel: community_only,
        site_tree.news: city,
        site_tree.home: city,
        site_tree.county: city,
        factories.StandardPageFactory(parent=site_tree.home): city,
        # 方城社区 has no reviewers of its own yet: the city reviews it, and says so.
        factories.ActivityPageFactory(parent=site_tree.other_community): city,
    }
    for page, workflow in expected.items():
        page = page.specific
        assert page.get_workflow() == workflow, page
        assert page.has_workflow, page


def test_a_workflow_assigned_in_the_admin_wins(site_tree):
    own = Workflow.objects.create(name="专项审核")
    WorkflowPage.objects.create(page=site_tree.community, workflow=own)
    factories.make_reviewer(site_tree.other_community)
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


def test_the_migration_moves_city_pages_in_review_to_the_city_workflow(site_tree):
    """A city page submitted before the city's workflow existed: its review goes on, its
    approved 社区审核 step renamed 编辑部审核; a community's page stays where it is; every
    group approval task becomes the project's."""
    migration = importlib.import_module("workflows.migrations.0003_review_city_workflow")
    superuser = factories.UserFactory(is_superuser=True)
    factories.make_reviewer(site_tree.community)
    two_step = editorial_workflow(EditorialWorkflow.Kind.TWO_STEP)
    city_workflow = editorial_workflow(EditorialWorkflow.Kind.CITY)
    # As before the migration: no city workflow, 发布审批 a plain group approval task.
    EditorialWorkflow.objects.filter(kind=EditorialWorkflow.Kind.CITY).delete()
    publication = two_step.tasks[1]
    Task.objects.filter(pk=publication.pk).update(
        content_type=ContentType.objects.get_for_model(GroupApprovalTask)
    )
    pages = {}
    for where, parent in (("city", site_tree.news), ("community", site_tree.community)):
        page = factories.NewsPageFactory(parent=parent, slug=f"old-{where}", live=False)
        page.save_revision(user=superuser)
        two_step.start(page, superuser)
        pages[where] = page
    pages["city"].current_workflow_task_state.approve(user=superuser)  # at 发布审批 now

    migration.forwards(django_apps, None)

    city_state = pages["city"].current_workflow_state
    assert city_state.workflow.name == "编辑部审核 → 发布审批"
    assert city_state.current_task_state.task.name == "发布审批"
    assert [s.task.name for s in city_state.task_states.order_by("pk")] == [
        "编辑部审核",
        "发布审批",
    ]
    community_state = pages["community"].current_workflow_state
    assert community_state.workflow == two_step
    assert community_state.current_task_state.task.name == "社区审核"
    assert isinstance(Task.objects.get(pk=publication.pk).specific, GroupReviewTask)
    assert city_workflow is not None
