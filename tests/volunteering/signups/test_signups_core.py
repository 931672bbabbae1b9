"""The core sign-up rules, through the service every entry point calls."""

import pytest

from tests import factories
from volunteering import errors
from volunteering.signups.models import SignUp
from volunteering.signups.services import signup_cancel, signup_create


@pytest.fixture
def activity(site_tree):
    return factories.ActivityPageFactory(parent=site_tree.community, capacity=2)


def test_places_fill_then_the_waitlist_and_a_cancellation_promotes_the_first(activity):
    members = factories.MemberFactory.create_batch(4)
    states = [signup_create(activity=activity, member=m)[0].state for m in members]
    assert states == ["approved", "approved", "waitlisted", "waitlisted"]

    first = SignUp.objects.get(activity=activity, member=members[0])
    signup_cancel(signup=first, by=members[0].user)

    by_member = {s.member_id: s.state for s in SignUp.objects.filter(activity=activity)}
    assert by_member[members[0].pk] == "cancelled"
    assert by_member[members[2].pk] == "approved"
    assert by_member[members[3].pk] == "waitlisted"


def test_a_second_attempt_returns_the_existing_signup(activity):
    member = factories.MemberFactory()
    first, created = signup_create(activity=activity, member=member)
    again, created_again = signup_create(activity=activity, member=member)
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert SignUp.objects.filter(activity=activity, member=member).count() == 1


def test_every_transition_leaves_a_history_record_with_user_and_reason(activity):
    member = factories.MemberFactory()
    signup, _ = signup_create(activity=activity, member=member)
    signup_cancel(signup=signup, by=member.user, reason="临时有事")
    latest = signup.history.order_by("-history_date").first()
    assert latest.state == "cancelled"
    assert latest.history_user == member.user
    assert (latest.history_transition, latest.history_reason) == ("cancel", "临时有事")


def test_signing_up_after_the_start_is_refused_with_a_clear_message(site_tree):
    from django.utils import timezone

    past = factories.ActivityPageFactory(
        parent=site_tree.community,
        starts_at=timezone.now() - timezone.timedelta(hours=1),
        ends_at=timezone.now() + timezone.timedelta(hours=1),
    )
    with pytest.raises(errors.ServiceError) as excinfo:
        signup_create(activity=past, member=factories.MemberFactory())
    assert excinfo.value.message == errors.SIGNUP_ACTIVITY_STARTED
    assert not SignUp.objects.exists()


def test_a_long_reason_is_kept_whole_in_the_history(activity):
    from volunteering.signups.services import signup_reject

    member = factories.MemberFactory()
    activity.needs_approval = True
    activity.save_revision().publish()
    signup, _ = signup_create(activity=activity, member=member)
    staff = factories.UserFactory(is_superuser=True)
    reason = "名额需要优先安排给有法律专长的党员，" * 20
    signup_reject(signup=signup, by=staff, reason=reason)
    latest = signup.history.order_by("-history_date").first()
    assert latest.state == "rejected"
    assert latest.history_reason == reason.strip()
