"""Who may do what in the editorial workflow, role by role, through the admin, against a table
written by hand. Outcomes are read from the database (did the page enter review, was the step
approved or rejected, did it go live), not from status codes."""

import pytest
from wagtail.models import Page, TaskState

from news.models import NewsPage
from tests import factories
from tests.workflows.editorial_helpers import (
    access_admin,
    act,
    current_task_state,
    edit_url,
    make_people,
    news_form,
    publish,
)

ROLES = [
    "anonymous",
    "member",
    "editor",
    "staff",
    "other_staff",
    "reviewer",
    "other_reviewer",
    "orgadmin",
    "city_reviewer",
    "superuser",
]
ACTIONS = ["submit", "approve", "reject", "final_approve", "publish"]

# submit: start the review of a draft; approve/reject: decide the first step (社区审核 for a
# community's news, 编辑部审核 for the city's); final_approve: the publication approval
# (发布审批, confirmed in its dialog); publish: publish without review.
Y, N = True, False
COMMUNITY_NEWS = {  # a news item in 麒麟社区's own channel
    #                 submit approve reject final publish
    "anonymous": (N, N, N, N, N),
    "member": (N, N, N, N, N),
    "editor": (N, N, N, N, N),
    "staff": (Y, N, N, N, N),
    "other_staff": (N, N, N, N, N),
    "reviewer": (N, Y, Y, N, N),
    "other_reviewer": (N, N, N, N, N),
    "orgadmin": (N, N, N, N, N),
    "city_reviewer": (N, N, N, Y, N),
    "superuser": (Y, Y, Y, Y, Y),
}
CITY_NEWS = {  # a news item in the city channel 工作动态
    #                 submit approve reject final publish
    "anonymous": (N, N, N, N, N),
    "member": (N, N, N, N, N),
    "editor": (Y, N, N, N, N),
    "staff": (N, N, N, N, N),
    "other_staff": (N, N, N, N, N),
    "reviewer": (N, N, N, N, N),
    "other_reviewer": (N, N, N, N, N),
    "orgadmin": (N, N, N, N, N),
    "city_reviewer": (N, Y, Y, Y, N),
    "superuser": (Y, Y, Y, Y, Y),
}
TABLES = {"community": COMMUNITY_NEWS, "city": CITY_NEWS}
FIRST_STEP = {"community": "社区审核", "city": "编辑部审核"}


@pytest.fixture
def world(site_tree):
    people = make_people(site_tree)
    orgadmin = access_admin(factories.UserFactory(username="orgadmin"))
    factories.OrganisationFactory().admins.add(orgadmin)
    users = {
        "anonymous": None,
        "member": factories.MemberFactory().user,
        "orgadmin": orgadmin,
        **{role: getattr(people, role) for role in ROLES if hasattr(people, role)},
    }
    channels = {
        "community": factories.NewsIndexPageFactory(parent=site_tree.community, slug="news"),
        "city": site_tree.news,
    }
    people.city_channel_pk = site_tree.news.pk
    return people, users, channels


def draft(channel: Page) -> NewsPage:
    return factories.NewsPageFactory(parent=channel, slug="item", title="稿件", live=False)


def in_review(channel: Page, people, *, step: str) -> NewsPage:
    """A page awaiting `step`, submitted by its author (and passed on by a superuser)."""
    page = draft(channel)
    page.save_revision(user=people.superuser)
    page.get_workflow().start(page, people.superuser)
    if step == "发布审批":
        current_task_state(page).approve(user=people.superuser)
    assert current_task_state(page).task.name == step
    return page


def attempt(client, user, action: str, channel: Page, people) -> bool:
    if user is not None:
        client.force_login(user)
    if action == "submit":
        page = draft(channel)
        client.post(edit_url(page), {**news_form("稿件", "item"), "action-submit": "1"})
        return NewsPage.objects.get(pk=page.pk).workflow_in_progress
    if action == "publish":
        page = draft(channel)
        client.post(edit_url(page), {**news_form("稿件", "item"), "action-publish": "1"})
        return NewsPage.objects.get(pk=page.pk).live
    where = "city" if channel.pk == people.city_channel_pk else "community"
    step = "发布审批" if action == "final_approve" else FIRST_STEP[where]
    page = in_review(channel, people, step=step)
    task_state = current_task_state(page)
    if action == "final_approve":
        publish(client, page, comment="意见")
    else:
        act(client, page, action, comment="意见")
    task_state.refresh_from_db()
    wanted = TaskState.STATUS_REJECTED if action == "reject" else TaskState.STATUS_APPROVED
    return task_state.status == wanted


@pytest.mark.parametrize("where", list(TABLES))
@pytest.mark.parametrize("role", ROLES)
def test_editorial_permissions(client, world, where, role):
    people, users, channels = world
    expected = dict(zip(ACTIONS, TABLES[where][role], strict=True))
    actual = {}
    for action in ACTIONS:
        client.logout()
        Page.objects.filter(slug="item").delete()
        actual[action] = attempt(client, users[role], action, channels[where], people)
    assert actual == expected
