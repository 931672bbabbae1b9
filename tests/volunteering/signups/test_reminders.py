"""The day-before reminder: once per approved sign-up of an activity starting tomorrow."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests import factories
from volunteering.signups.models import SignUp
from volunteering.signups.selectors import signups_due_for_reminder
from volunteering.signups.services import signup_cancel, signup_create, signup_reminders_send
from volunteering.signups.tasks import send_activity_reminders


def tomorrow_at(hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def activity_at(parent, starts_at, **kwargs):
    return factories.ActivityPageFactory(
        parent=parent,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        **kwargs,
    )


@pytest.fixture
def tomorrow(site_tree):
    return activity_at(site_tree.community, tomorrow_at(9), title="明天的义诊", capacity=2)


def test_approved_signups_of_tomorrows_activities_are_reminded_once(
    site_tree, tomorrow, django_capture_on_commit_callbacks
):
    approved, also_approved, waitlisted = factories.MemberFactory.create_batch(3)
    for member in (approved, also_approved, waitlisted):
        signup_create(activity=tomorrow, member=member)
    cancelled = factories.MemberFactory()
    later = activity_at(site_tree.community, tomorrow_at(9) + datetime.timedelta(days=1))
    signup_create(activity=later, member=approved)
    signup, _ = signup_create(activity=later, member=cancelled)
    signup_cancel(signup=signup, by=cancelled.user)

    with django_capture_on_commit_callbacks(execute=True):
        assert signup_reminders_send() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [approved.user.email, also_approved.user.email]
    )
    message = mail.outbox[0]
    assert message.subject == "明天的活动：明天的义诊"
    assert "\n" not in message.subject
    assert "社区服务中心" in message.body and tomorrow.url in message.body

    with django_capture_on_commit_callbacks(execute=True):
        assert signup_reminders_send() == 0
    assert len(mail.outbox) == 2
    reminded = SignUp.objects.filter(reminded_at__isnull=False)
    assert set(reminded.values_list("member_id", flat=True)) == {approved.pk, also_approved.pk}


def test_tomorrow_is_the_local_calendar_day(site_tree):
    member = factories.MemberFactory()
    early = activity_at(site_tree.community, tomorrow_at(0, 30))
    late = activity_at(site_tree.community, tomorrow_at(23, 30))
    after = activity_at(site_tree.community, tomorrow_at(0, 0) + datetime.timedelta(days=1))
    tonight = activity_at(site_tree.community, tomorrow_at(0, 0) - datetime.timedelta(minutes=1))
    activities = (early, late, after) + ((tonight,) if tonight.starts_at > timezone.now() else ())
    for activity in activities:
        signup_create(activity=activity, member=member)
    due = signups_due_for_reminder()
    assert {s.activity_id for s in due} == {early.pk, late.pk}


def test_a_signup_promoted_after_the_reminders_ran_is_reminded_next_run(
    tomorrow, django_capture_on_commit_callbacks
):
    first, second, third = factories.MemberFactory.create_batch(3)
    for member in (first, second, third):
        signup_create(activity=tomorrow, member=member)
    signup_reminders_send()
    signup_cancel(signup=SignUp.objects.get(member=first), by=first.user)
    with django_capture_on_commit_callbacks(execute=True):
        assert signup_reminders_send() == 1
    assert [m.to for m in mail.outbox if m.subject.startswith("明天")] == [[third.user.email]]


def test_unpublished_activities_send_no_reminders(site_tree):
    activity = activity_at(site_tree.community, tomorrow_at(10))
    signup_create(activity=activity, member=factories.MemberFactory())
    activity.unpublish()
    assert signup_reminders_send() == 0


def test_the_management_command_queues_the_reminders(
    tomorrow, capsys, django_capture_on_commit_callbacks
):
    signup_create(activity=tomorrow, member=factories.MemberFactory())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_activity_reminders")
    assert "1 reminder(s) queued." in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_the_task_queues_the_reminders(tomorrow, django_capture_on_commit_callbacks):
    signup_create(activity=tomorrow, member=factories.MemberFactory())
    with django_capture_on_commit_callbacks(execute=True):
        result = send_activity_reminders.enqueue()
    assert result.return_value == 1
    assert len(mail.outbox) == 1
