"""The editorial workflow end to end, through the admin as people use it: write and submit,
reject with a comment, resubmit, approve twice, published; who is emailed at each step."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from news.models import NewsPage
from tests import factories
from tests.workflows.editorial_helpers import (
    DATETIME,
    act,
    activity_form,
    current_task_name,
    edit_url,
    make_people,
    news_form,
    publish,
    refused,
    resubmit,
    submit_new,
)
from volunteering.activities.models import ActivityPage


@pytest.fixture
def people(site_tree):
    return make_people(site_tree)


@pytest.fixture
def channel(site_tree):
    """麒麟社区's own news channel, the branch its staff write in."""
    return factories.NewsIndexPageFactory(parent=site_tree.community, slug="news", title="社区动态")


def recipients():
    """Who was emailed since the last call, as sets of addresses per message."""
    sent = [set(message.to) for message in mail.outbox]
    mail.outbox.clear()
    return sent


def email(user) -> set[str]:
    return {user.email}


def test_community_news_is_rejected_resubmitted_and_approved_twice(client, people, channel):
    client.force_login(people.staff)
    page = submit_new(client, NewsPage, channel, news_form("社区开展义诊", "clinic"))
    assert not page.live and current_task_name(page) == "社区审核"
    assert recipients() == [email(people.reviewer)]

    # Another community's reviewer may not decide, and the page stays where it was.
    client.force_login(people.other_reviewer)
    assert refused(act(client, page, "approve"))
    assert current_task_name(page) == "社区审核"

    client.force_login(people.reviewer)
    assert act(client, page, "reject", comment="请补充义诊的时间和地点。").status_code == 302
    assert current_task_name(page) is None
    (rejection,) = mail.outbox
    assert rejection.to == [people.staff.email]
    assert "请补充义诊的时间和地点。" in rejection.body
    assert "社区开展义诊" in rejection.subject and "退回" in rejection.subject
    mail.outbox.clear()

    client.force_login(people.staff)
    resubmit(client, page, news_form("社区开展义诊", "clinic", text="周六上午在社区广场。"))
    assert current_task_name(page) == "社区审核"
    assert recipients() == [email(people.reviewer)]

    client.force_login(people.reviewer)
    assert act(client, page, "approve", comment="内容属实。").status_code == 302
    assert current_task_name(page) == "发布审批"
    assert recipients() == [email(people.city_reviewer)]
    page.refresh_from_db()
    assert not page.live

    client.force_login(people.city_reviewer)
    assert publish(client, page).status_code == 302
    page.refresh_from_db()
    assert page.live and current_task_name(page) is None
    assert "周六上午在社区广场。" in client.get(page.url).content.decode()
    (approval,) = mail.outbox
    assert approval.to == [people.staff.email]
    assert "社区开展义诊" in approval.subject
    assert "内容属实。" in approval.body  # the community reviewer's comment reaches the author


def test_city_news_is_reviewed_by_the_city_in_both_steps(client, people, site_tree):
    client.force_login(people.editor)
    page = submit_new(client, NewsPage, site_tree.news, news_form("全市动态", "city-news"))
    assert current_task_name(page) == "编辑部审核"  # no community reviews city news
    assert recipients() == [email(people.city_reviewer)]

    client.force_login(people.reviewer)  # a community reviewer has no say on city pages
    assert refused(act(client, page, "approve"))

    client.force_login(people.city_reviewer)
    act(client, page, "approve")
    assert current_task_name(page) == "发布审批"
    assert recipients() == []  # nobody is told of a step they have just passed it to themselves
    publish(client, page)
    page.refresh_from_db()
    assert page.live
    assert recipients() == [email(people.editor)]


def test_an_activity_needs_only_its_community_review(client, people, site_tree):
    client.force_login(people.staff)
    page = submit_new(client, ActivityPage, site_tree.community, activity_form("楼道清理", "tidy"))
    assert current_task_name(page) == "社区审核"
    assert recipients() == [email(people.reviewer)]

    client.force_login(people.reviewer)
    publish(client, page)
    page.refresh_from_db()
    assert page.live and current_task_name(page) is None
    assert recipients() == [email(people.staff)]


def test_a_scheduled_page_stays_hidden_until_its_time(client, people, site_tree):
    go_live = timezone.localtime() + datetime.timedelta(hours=2)
    data = news_form("定时发布的新闻", "scheduled", go_live_at=go_live.strftime(DATETIME))
    client.force_login(people.editor)
    page = submit_new(client, NewsPage, site_tree.news, data)
    client.force_login(people.city_reviewer)
    act(client, page, "approve")
    publish(client, page)

    page.refresh_from_db()
    assert not page.live
    assert page.go_live_at is not None
    client.logout()
    assert client.get("/news/scheduled/").status_code == 404
    assert "定时发布的新闻" not in client.get("/news/").content.decode()
    assert "定时发布" in mail.outbox[-1].body

    call_command("publish_scheduled")  # too early: nothing changes
    page.refresh_from_db()
    assert not page.live

    later = timezone.now() + datetime.timedelta(hours=2, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    assert client.get("/news/scheduled/").status_code == 200


@pytest.mark.parametrize("role", ["editor", "staff"])
def test_editors_and_staff_cannot_publish_directly(client, people, channel, site_tree, role):
    user = getattr(people, role)
    parent = site_tree.news if role == "editor" else channel
    page = factories.NewsPageFactory(parent=parent, slug="draft", live=False)
    client.force_login(user)

    html = client.get(edit_url(page)).content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html

    data = {**news_form("想直接发布", "draft"), "action-publish": "1"}
    response = client.post(edit_url(page), data)
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live and page.title == "想直接发布"  # saved as a draft, not published
    assert page.get_latest_revision().content["title"] == "想直接发布"
