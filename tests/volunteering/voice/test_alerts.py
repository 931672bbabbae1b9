"""Residents heard in time: a request sent online is emailed to its community's staff at once or
in a daily digest, as each chose in their account settings; one no one accepted within
VOICE_ESCALATION_DAYS is escalated to the city, by email, once. Sent through the tasks after
the request is committed, in Chinese, with links to the site's address; never the resident's
name or phone."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.factories import city_user, community_staff
from tests.volunteering.voice.test_public import TEXT, post_feedback
from volunteering.alerts.models import StaffAlerts
from volunteering.voice.models import Feedback

ACCOUNT_URL = "/admin/account/"


@pytest.fixture
def people(site_tree):
    staff_a = community_staff(site_tree.community, "staff-a")
    staff_a.email = "staff-a@example.cn"
    staff_a.first_name, staff_a.last_name = "晓", "张"  # the account form requires a name
    staff_a.save()
    staff_b = community_staff(site_tree.other_community, "staff-b")
    staff_b.email = "staff-b@example.cn"
    staff_b.save()
    city = city_user()
    city.email = "city@example.cn"
    city.save()
    factories.UserFactory(username="root", is_superuser=True, email="root@example.cn")
    return {"staff_a": staff_a, "staff_b": staff_b, "city": city}


def choose(client, user, delivery: str):
    """The staff member sets their preference on the admin's account settings page."""
    client.force_login(user)
    page = BeautifulSoup(client.get(ACCOUNT_URL).content, "html.parser")
    form = page.select_one("form[method=post]")
    data = {}
    for field in form.select("input[name], select[name], textarea[name]"):
        kind = field.get("type", "")
        if kind in ("radio", "checkbox") and not field.has_attr("checked"):
            continue
        if field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            data[field["name"]] = chosen.get("value", "") if chosen else ""
        elif kind != "file":
            data[field["name"]] = field.get("value", field.get_text())
    data["voice_alerts-delivery"] = delivery
    response = client.post(ACCOUNT_URL, data)
    if response.status_code != 302:
        errors = BeautifulSoup(response.content, "html.parser").select(".error-message")
        raise AssertionError([e.find_parent(attrs={"data-contentpath": True}) for e in errors])
    client.logout()


def submit(client, community, django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_feedback(client, community, **fields)
    assert response.status_code == 302
    return Feedback.objects.latest("created_at")


def run_job(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_feedback_alerts")


def test_the_communitys_staff_are_told_at_once(
    site_tree, people, client, django_capture_on_commit_callbacks
):
    feedback = submit(client, site_tree.community, django_capture_on_commit_callbacks)

    assert [message.to for message in mail.outbox] == [["staff-a@example.cn"]]
    message = mail.outbox[0]
    assert message.subject == "新的居民诉求：麒麟社区（困难求助）"
    assert f"回执码 {feedback.readable_code}" in message.body
    assert TEXT[:20] in message.body
    assert "请在 3 天内受理" in message.body
    link = f"http://testserver{reverse('volunteering_feedback:inspect', args=(feedback.pk,))}"
    assert link in message.body
    assert "王阿姨" not in message.body and "13912345678" not in message.body


def test_nothing_is_sent_when_the_request_is_not_saved(
    site_tree, people, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_feedback(client, site_tree.community, text="短")
    assert response.status_code == 200
    assert not Feedback.objects.exists()
    assert mail.outbox == []


def test_items_staff_record_themselves_send_nothing(
    site_tree, people, client, django_capture_on_commit_callbacks
):
    client.force_login(people["staff_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("volunteering_feedback:add"),
            {
                "community": site_tree.community.pk,
                "kind": "suggestion",
                "channel": "visit",
                "heard_on": "2024-05-10",
                "text": "建议增设充电桩。",
            },
        )
    assert response.status_code == 302
    assert mail.outbox == []


def test_staff_who_choose_a_digest_get_one_email_a_day(
    site_tree, people, client, django_capture_on_commit_callbacks
):
    choose(client, people["staff_a"], "daily")
    assert StaffAlerts.objects.get(user=people["staff_a"]).delivery == "daily"

    first = submit(client, site_tree.community, django_capture_on_commit_callbacks)
    second = submit(client, site_tree.community, django_capture_on_commit_callbacks, kind="dispute")
    submit(client, site_tree.other_community, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["staff-b@example.cn"]]  # B's staff: at once
    mail.outbox.clear()

    run_job(django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [["staff-a@example.cn"]]
    digest = mail.outbox[0]
    assert digest.subject == "居民诉求每日汇总：2 条新诉求"
    for feedback in (first, second):
        assert reverse("volunteering_feedback:inspect", args=(feedback.pk,)) in digest.body
    assert "方城社区" not in digest.body
    assert "http://testserver/admin/volunteering/feedback/?state=submitted" in digest.body

    mail.outbox.clear()
    run_job(django_capture_on_commit_callbacks)  # again the same day: nothing twice
    assert mail.outbox == []


def test_staff_can_go_back_to_each_request_at_once(
    site_tree, people, client, django_capture_on_commit_callbacks
):
    choose(client, people["staff_a"], "daily")
    choose(client, people["staff_a"], "immediate")
    submit(client, site_tree.community, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["staff-a@example.cn"]]


def test_only_staff_and_the_city_see_the_preference(site_tree, people, client):
    client.force_login(people["staff_a"])
    assert "居民诉求提醒" in client.get(ACCOUNT_URL).content.decode()
    client.force_login(people["city"])
    assert "居民诉求提醒" in client.get(ACCOUNT_URL).content.decode()
    client.force_login(factories.admin_user("editor-only"))
    assert "居民诉求提醒" not in client.get(ACCOUNT_URL).content.decode()


def _age(feedback, days: float):
    Feedback.objects.filter(pk=feedback.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_requests_no_one_accepted_in_time_go_to_the_city_once(
    site_tree, people, client, django_capture_on_commit_callbacks
):
    late = factories.FeedbackFactory(community=site_tree.community, text="井盖丢失很危险")
    _age(late, 3.5)
    fresh = factories.FeedbackFactory(community=site_tree.community)
    _age(fresh, 1)
    accepted = factories.FeedbackFactory(community=site_tree.community, state="accepted")
    _age(accepted, 10)

    run_job(django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [["city@example.cn"]]  # not the superuser
    message = mail.outbox[0]
    assert message.subject == "督办：1 条居民诉求超过 3 天未受理"
    assert "麒麟社区" in message.body and "井盖丢失很危险" in message.body
    assert reverse("volunteering_feedback:inspect", args=(late.pk,)) in message.body
    assert "http://testserver/admin/volunteering/feedback/?overdue=1" in message.body
    late.refresh_from_db()
    assert late.escalated_at is not None

    mail.outbox.clear()
    run_job(django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_the_number_of_days_is_a_setting(
    site_tree, people, settings, django_capture_on_commit_callbacks
):
    settings.VOICE_ESCALATION_DAYS = 5
    late = factories.FeedbackFactory(community=site_tree.community)
    _age(late, 4)
    run_job(django_capture_on_commit_callbacks)
    assert mail.outbox == []
    _age(late, 5.1)
    run_job(django_capture_on_commit_callbacks)
    assert mail.outbox[0].subject == "督办：1 条居民诉求超过 5 天未受理"


def test_the_periodic_jobs_include_the_alerts(
    site_tree, people, django_capture_on_commit_callbacks
):
    late = factories.FeedbackFactory(community=site_tree.community)
    _age(late, 4)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_periodic", once=True)
    assert [m.to for m in mail.outbox] == [["city@example.cn"]]
