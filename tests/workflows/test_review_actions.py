"""One name per review action on every screen (退回修改 / 通过 / 通过并留言: the dashboard, the
editor's footer, the page history, the emails), and a confirmation before the last step's
approval publishes the page, through the admin views a reviewer uses."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import NewsPage
from tests import factories
from tests.workflows.editorial_helpers import (
    DATETIME,
    act,
    current_task_name,
    current_task_state,
    edit_url,
    make_people,
    news_form,
    publish,
    refused,
    submit_new,
    workflow_action_url,
)

WAGTAILS_NAMES = ("请求修改", "带评论批准", ">批准<", "Request changes", "Approve")
OURS = ("退回修改", "通过", "通过并留言")
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture
def people(site_tree):
    return make_people(site_tree)


@pytest.fixture
def city_news(client, people, site_tree):
    """A city news item submitted by the editor: at 编辑部审核, then 发布审批."""
    client.force_login(people.editor)
    return submit_new(client, NewsPage, site_tree.news, news_form("全市动态", "city-news"))


def at_last_step(client, people, page):
    client.force_login(people.city_reviewer)
    assert act(client, page, "approve").status_code == 302
    assert current_task_name(page) == "发布审批"
    return page


def assert_our_names(html: str):
    for name in OURS:
        assert f">{name}<" in html.replace("\n", "").replace("  ", ""), name
    for name in WAGTAILS_NAMES:
        assert name not in html, name


@pytest.mark.parametrize("step", ["编辑部审核", "发布审批"])
def test_the_dashboard_and_the_editor_name_the_actions_alike_at_every_step(
    client, people, city_news, step
):
    if step == "发布审批":
        at_last_step(client, people, city_news)
    client.force_login(people.city_reviewer)
    assert current_task_name(city_news) == step
    assert_our_names(client.get(reverse("wagtailadmin_home")).content.decode())
    assert_our_names(client.get(edit_url(city_news)).content.decode())


def test_a_community_reviewer_sees_the_same_names(client, people, site_tree):
    client.force_login(people.staff)
    channel = factories.NewsIndexPageFactory(parent=site_tree.community, slug="news")
    page = submit_new(client, NewsPage, channel, news_form("社区动态", "community-news"))
    assert current_task_name(page) == "社区审核"
    client.force_login(people.reviewer)
    assert_our_names(client.get(reverse("wagtailadmin_home")).content.decode())
    assert_our_names(client.get(edit_url(page)).content.decode())


def test_the_history_names_the_decisions_as_the_buttons_do(client, people, city_news):
    client.force_login(people.city_reviewer)
    act(client, city_news, "approve")
    act(client, city_news, "reject", comment="请核对数字。")
    client.force_login(people.superuser)
    html = client.get(reverse("wagtailadmin_pages:history", args=(city_news.pk,))).content
    html = html.decode()
    assert "在“编辑部审核”通过，下一步：“发布审批”" in html
    assert "在“发布审批”退回修改" in html
    assert "请核对数字。" in html
    assert "已拒绝" not in html and "已批准" not in html.split("<main", 1)[-1].split("筛选")[0]


# --- The confirmation before publishing ------------------------------------------------------


def test_the_first_step_approves_at_once_without_a_dialog(client, people, city_news):
    client.force_login(people.city_reviewer)
    state = current_task_state(city_news)
    actions = state.task.specific.get_actions(city_news, people.city_reviewer)
    assert ("approve", "通过", False) in [(a, str(n), m) for a, n, m in actions]
    assert act(client, city_news, "approve").status_code == 302
    assert current_task_name(city_news) == "发布审批"


def test_the_last_step_asks_before_it_publishes(client, people, city_news):
    at_last_step(client, people, city_news)
    state = current_task_state(city_news)

    # The dialog the buttons open says what will happen, in Chinese.
    response = client.get(workflow_action_url(city_news, "publish", state), **XHR)
    assert response.status_code == 200
    html = json.loads(response.content)["html"]
    assert "这是最后一步审核：通过后，页面将立即发布，所有人都能看到。" in html
    assert 'name="confirm_publish"' in html and "确认通过并发布" in html

    # Wagtail's one-click approval is not offered at the last step: a stale button is refused.
    assert refused(act(client, city_news, "approve"))
    # Posted without the dialog's confirmation, nothing happens.
    client.post(workflow_action_url(city_news, "publish", state), {})
    city_news.refresh_from_db()
    assert not city_news.live and current_task_name(city_news) == "发布审批"
    response = client.post(workflow_action_url(city_news, "publish", state), {}, **XHR)
    assert "请确认通过后立即发布。" in json.loads(response.content)["html"]

    assert publish(client, city_news).status_code == 302
    city_news.refresh_from_db()
    assert city_news.live and current_task_name(city_news) is None


def test_approving_with_a_comment_at_the_last_step_keeps_the_comment(client, people, city_news):
    at_last_step(client, people, city_news)
    state = current_task_state(city_news)
    html = json.loads(
        client.get(workflow_action_url(city_news, "publish_with_comment", state), **XHR).content
    )["html"]
    assert "审核意见" in html and "立即发布" in html
    publish(client, city_news, comment="同意发布。")
    state.refresh_from_db()
    assert state.status == state.STATUS_APPROVED and state.comment == "同意发布。"
    city_news.refresh_from_db()
    assert city_news.live


def test_the_dialog_of_a_scheduled_page_says_when(client, people, site_tree):
    go_live = timezone.localtime() + datetime.timedelta(days=1)
    client.force_login(people.editor)
    page = submit_new(
        client,
        NewsPage,
        site_tree.news,
        news_form("定时新闻", "later", go_live_at=go_live.strftime(DATETIME)),
    )
    at_last_step(client, people, page)
    html = json.loads(
        client.get(workflow_action_url(page, "publish", current_task_state(page)), **XHR).content
    )["html"]
    assert f"页面将于 {go_live:%Y-%m-%d %H:%M} 定时发布" in html


def test_the_editors_footer_publishes_only_with_the_dialogs_confirmation(client, people, city_news):
    """The footer's 通过 opens the dialog, whose answer the edit form carries as
    workflow-action-extra-data; without it the page is not published."""
    at_last_step(client, people, city_news)
    form = {
        **news_form("全市动态", "city-news"),
        "action-workflow-action": "1",
        "workflow-action-name": "publish",
    }
    assert refused(client.post(edit_url(city_news), form))
    city_news.refresh_from_db()
    assert not city_news.live

    form["workflow-action-extra-data"] = json.dumps({"confirm_publish": True})
    assert client.post(edit_url(city_news), form).status_code == 302
    city_news.refresh_from_db()
    assert city_news.live
