"""Email notifications: every kind renders a one-line subject and a body that names the
member and the activity or community; they are sent only after the transaction commits."""

import pytest
from django.core import mail
from django.db import transaction

from tests import factories
from volunteering.assessment.models import ReportReminder
from volunteering.notifications import KINDS, notification_send
from volunteering.signups.services import signup_create
from volunteering.tasks import notify

SUBJECTS = {
    "report_confirmed": "报到已确认：麒麟社区",
    "report_returned": "报到被退回：麒麟社区",
    "signup_approved": "报名成功：法律咨询进社区",
    "signup_rejected": "报名未通过：法律咨询进社区",
    "signup_waitlisted": "已进入候补：法律咨询进社区",
    "signup_promoted": "候补转正：法律咨询进社区",
    "signup_reminder": "明天的活动：法律咨询进社区",
    "report_reminder": "曲靖市司法局提醒您：请完成2026年度社区报到",
}


@pytest.fixture
def member(db):
    # Overrides the conftest's `member`: named 欧阳娜娜, the name each message must address.
    return factories.MemberFactory(real_name="欧阳娜娜")


@pytest.fixture
def activity(site_tree):
    return factories.ActivityPageFactory(
        parent=site_tree.community, title="法律咨询进社区", place="社区服务中心二楼"
    )


@pytest.fixture
def objects(site_tree, member, activity):
    report = factories.ReportFactory(member=member, community=site_tree.community)
    signup, _ = signup_create(activity=activity, member=member)
    organisation = factories.OrganisationFactory(name="曲靖市司法局")
    reminder = ReportReminder.objects.create(member=member, organisation=organisation, year=2026)
    return {"report": report, "signup": signup, "report_reminder": reminder}


def test_every_kind_has_a_test_here():
    assert set(SUBJECTS) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(SUBJECTS))
def test_each_kind_renders_a_one_line_subject_and_a_body_for_the_member(kind, objects):
    obj = objects.get(kind) or (
        objects["report"] if kind.startswith("report") else objects["signup"]
    )
    assert notification_send(
        kind=kind, model_label=obj._meta.label, pk=obj.pk, extra={"reason": "材料不全"}
    )
    [message] = mail.outbox
    assert message.subject == SUBJECTS[kind]
    assert "\n" not in message.subject
    assert message.to == [obj.member.user.email]
    assert message.body.startswith("欧阳娜娜同志：")
    assert "{{" not in message.body and "{%" not in message.body
    if kind.startswith("signup"):
        assert "http://testserver" + obj.activity.url in message.body
    if kind in ("report_returned", "signup_rejected"):
        assert "材料不全" in message.body
    if kind in ("signup_approved", "signup_reminder"):
        assert "社区服务中心二楼" in message.body


def test_a_reminder_to_sign_in_says_how_to_sign_in_or_set_a_password(objects, member):
    reminder = objects["report_reminder"]
    notification_send(
        kind="report_reminder", model_label=reminder._meta.label, pk=reminder.pk, extra={}
    )
    [message] = mail.outbox
    assert "请登录门户" in message.body
    assert "http://testserver/accounts/login/" in message.body
    assert member.user.get_username() in message.body and "忘记密码" in message.body


def test_nothing_is_sent_to_a_member_without_email(objects, member):
    member.user.email = ""
    member.user.save()
    signup = objects["signup"]
    assert not notification_send(
        kind="signup_approved", model_label="volunteering.SignUp", pk=signup.pk, extra={}
    )
    assert mail.outbox == []


def test_notifications_are_sent_only_after_the_transaction_commits(
    member, activity, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        signup_create(activity=activity, member=member)
    assert mail.outbox == []  # not yet: the transaction has not committed
    assert len(callbacks) == 1
    callbacks[0]()
    assert [m.subject for m in mail.outbox] == ["报名成功：法律咨询进社区"]


def test_a_rolled_back_transaction_sends_nothing(
    member, activity, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            signup_create(activity=activity, member=member)
            raise RuntimeError("rolled back")
    assert callbacks == []
    assert mail.outbox == []
    assert not activity.signups.exists()


def test_unknown_kinds_are_refused(objects):
    with pytest.raises(ValueError):
        notify("no_such_kind", objects["signup"])
