"""Sign-up rules through the services every entry point calls: the waitlist, cancelling,
approval and rejection, signing up again."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests import factories
from volunteering import errors
from volunteering.signups.models import SignUp
from volunteering.signups.selectors import signup_refusal
from volunteering.signups.services import (
    signup_approve,
    signup_cancel,
    signup_create,
    signup_reject,
)
from workflows.statemachine import TransitionConflict


@pytest.fixture
def activity(site_tree):
    return factories.ActivityPageFactory(parent=site_tree.community, capacity=2)


@pytest.fixture
def approval_activity(site_tree):
    return factories.ActivityPageFactory(
        parent=site_tree.community, capacity=1, needs_approval=True
    )


def states(activity) -> dict[int, str]:
    return {s.member_id: s.state for s in SignUp.objects.filter(activity=activity)}


def sign_up_all(activity, members):
    return [signup_create(activity=activity, member=m)[0] for m in members]


def test_the_waitlist_is_promoted_first_come_first_served(activity):
    members = factories.MemberFactory.create_batch(5)
    signups = sign_up_all(activity, members)
    assert [s.state for s in signups] == ["approved"] * 2 + ["waitlisted"] * 3

    signup_cancel(signup=signups[1], by=members[1].user)
    assert states(activity)[members[2].pk] == "approved"
    assert states(activity)[members[3].pk] == "waitlisted"

    signup_cancel(signup=signups[0], by=members[0].user)
    assert states(activity)[members[3].pk] == "approved"
    assert states(activity)[members[4].pk] == "waitlisted"


def test_a_waitlisted_member_who_cancels_loses_their_turn(activity):
    members = factories.MemberFactory.create_batch(4)
    signups = sign_up_all(activity, members)
    signup_cancel(signup=signups[2], by=members[2].user)
    signup_cancel(signup=signups[0], by=members[0].user)
    assert states(activity)[members[3].pk] == "approved"
    assert states(activity)[members[2].pk] == "cancelled"


def test_the_promoted_member_is_told_by_email(activity, django_capture_on_commit_callbacks):
    members = factories.MemberFactory.create_batch(3)
    signups = sign_up_all(activity, members)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signup_cancel(signup=signups[0], by=members[0].user)
    assert [m.to for m in mail.outbox] == [[members[2].user.email]]
    assert mail.outbox[0].subject == f"候补转正：{activity.title}"
    assert "已由候补转为报名成功" in mail.outbox[0].body


def test_members_cancel_until_the_deadline_and_not_after(activity):
    member, late = factories.MemberFactory.create_batch(2)
    signup, _ = signup_create(activity=activity, member=member)
    late_signup, _ = signup_create(activity=activity, member=late)
    activity.cancel_deadline = timezone.now() + datetime.timedelta(hours=1)
    activity.save()
    assert signup_cancel(signup=signup, by=member.user).state == "cancelled"

    activity.cancel_deadline = timezone.now() - datetime.timedelta(minutes=1)
    activity.save()
    with pytest.raises(TransitionConflict) as excinfo:
        signup_cancel(signup=late_signup, by=late.user)
    assert "已过取消报名截止时间" in str(excinfo.value.message)
    assert SignUp.objects.get(pk=late_signup.pk).state == "approved"


def test_without_a_deadline_members_cancel_until_the_start(activity):
    member = factories.MemberFactory()
    signup, _ = signup_create(activity=activity, member=member)
    activity.starts_at = timezone.now() - datetime.timedelta(minutes=5)
    activity.save()
    with pytest.raises(TransitionConflict):
        signup_cancel(signup=signup, by=member.user)


def test_only_the_member_cancels_their_own_signup(activity):
    member, other = factories.MemberFactory.create_batch(2)
    signup, _ = signup_create(activity=activity, member=member)
    with pytest.raises(PermissionDenied):
        signup_cancel(signup=signup, by=other.user)
    assert SignUp.objects.get(pk=signup.pk).state == "approved"


def test_with_approval_a_signup_waits_for_staff_who_approve_it(
    approval_activity, staff, django_capture_on_commit_callbacks
):
    member = factories.MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        signup, _ = signup_create(activity=approval_activity, member=member)
    assert signup.state == "pending"
    assert mail.outbox == []  # nothing to tell until staff decide

    with django_capture_on_commit_callbacks(execute=True):
        signup = signup_approve(signup=signup, by=staff)
    assert signup.state == "approved"
    assert [m.subject for m in mail.outbox] == [f"报名成功：{approval_activity.title}"]


def test_a_pending_signup_holds_its_place(approval_activity):
    first, second = factories.MemberFactory.create_batch(2)
    assert signup_create(activity=approval_activity, member=first)[0].state == "pending"
    assert signup_create(activity=approval_activity, member=second)[0].state == "waitlisted"


def test_staff_of_another_community_cannot_approve(approval_activity, other_staff):
    signup, _ = signup_create(activity=approval_activity, member=factories.MemberFactory())
    with pytest.raises(PermissionDenied):
        signup_approve(signup=signup, by=other_staff)
    assert SignUp.objects.get(pk=signup.pk).state == "pending"


def test_a_rejection_needs_a_reason(approval_activity, staff):
    signup, _ = signup_create(activity=approval_activity, member=factories.MemberFactory())
    for reason in ("", "   "):
        with pytest.raises(ValidationError):
            signup_reject(signup=signup, by=staff, reason=reason)
    assert SignUp.objects.get(pk=signup.pk).state == "pending"


def test_a_rejection_tells_the_member_why_and_the_next_in_line_moves_up_to_pending(
    approval_activity, staff, django_capture_on_commit_callbacks
):
    first, second = factories.MemberFactory.create_batch(2)
    signup, _ = signup_create(activity=approval_activity, member=first)
    signup_create(activity=approval_activity, member=second)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signup_reject(signup=signup, by=staff, reason="本次活动需要执业律师")
    assert states(approval_activity) == {first.pk: "rejected", second.pk: "pending"}
    by_recipient = {m.to[0]: m for m in mail.outbox}
    rejected = by_recipient[first.user.email]
    assert rejected.subject == f"报名未通过：{approval_activity.title}"
    assert "本次活动需要执业律师" in rejected.body
    assert "转为待审核" in by_recipient[second.user.email].body


def test_a_rejected_member_cannot_sign_up_again(approval_activity, staff):
    member = factories.MemberFactory()
    signup, _ = signup_create(activity=approval_activity, member=member)
    signup_reject(signup=signup, by=staff, reason="名额已内定")
    again, created = signup_create(activity=approval_activity, member=member)
    assert (again.pk, again.state, created) == (signup.pk, "rejected", False)


def test_signing_up_again_after_cancelling_revives_the_one_row_at_the_back(activity):
    members = factories.MemberFactory.create_batch(3)
    signups = sign_up_all(activity, members)
    first_queued = signups[0].queued_at
    signup_cancel(signup=signups[0], by=members[0].user)  # members[2] moves up

    again, created = signup_create(activity=activity, member=members[0])
    assert created is False
    assert again.pk == signups[0].pk
    assert again.state == "waitlisted"  # the place went to the next in line
    assert again.queued_at > first_queued
    assert SignUp.objects.filter(activity=activity, member=members[0]).count() == 1
    assert SignUp.objects.count() == 3


def test_signing_up_again_with_places_free_is_approved(activity):
    member = factories.MemberFactory()
    signup, _ = signup_create(activity=activity, member=member)
    signup_cancel(signup=signup, by=member.user)
    again, _ = signup_create(activity=activity, member=member)
    assert (again.pk, again.state) == (signup.pk, "approved")
    history = again.history.order_by("history_date", "history_id")
    assert list(history.values_list("history_transition", flat=True)) == [
        "submit_approved",
        "cancel",
        "resubmit_approved",
    ]


def test_refusal_reasons_about_the_activity_come_before_being_a_member(site_tree):
    past = factories.ActivityPageFactory(
        parent=site_tree.community,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        ends_at=timezone.now() + datetime.timedelta(hours=1),
    )
    assert signup_refusal(activity=past, member=None) == errors.SIGNUP_ACTIVITY_STARTED
    coming = factories.ActivityPageFactory(parent=site_tree.community)
    assert signup_refusal(activity=coming, member=None) == errors.SIGNUP_NOT_A_MEMBER
    assert signup_refusal(activity=coming, member=factories.MemberFactory()) is None


def test_signups_for_a_closed_activity_are_refused(activity):
    activity.signup_opens_at = timezone.now() - datetime.timedelta(days=2)
    activity.signup_closes_at = timezone.now() - datetime.timedelta(days=1)
    activity.save()
    with pytest.raises(errors.ServiceError) as excinfo:
        signup_create(activity=activity, member=factories.MemberFactory())
    assert excinfo.value.message == errors.SIGNUP_CLOSED
    assert not SignUp.objects.exists()
