"""Posts (服务岗位) and pledges (领岗承诺): the rules of a pledge, staff's decisions, and pledging
through the post page."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.volunteering.menu.support import pledge_kwargs
from tests.volunteering.support import refused
from volunteering import errors
from volunteering.menu import services as menu
from volunteering.menu.models import PostPledge
from workflows.statemachine import TransitionConflict


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"commitment": "   "}, errors.PLEDGE_COMMITMENT_REQUIRED),
        ({"commitment": "很" * 1001}, errors.PLEDGE_COMMITMENT_TOO_LONG % {"limit": 1000}),
        (
            {"starts_on": timezone.localdate() - datetime.timedelta(days=1)},
            errors.PLEDGE_STARTS_IN_PAST,
        ),
        (
            {"ends_on": timezone.localdate() - datetime.timedelta(days=1)},
            errors.PLEDGE_PERIOD_INVALID,
        ),
        (
            {"ends_on": timezone.localdate() + datetime.timedelta(days=400)},
            errors.PLEDGE_PERIOD_TOO_LONG,
        ),
    ],
)
def test_a_pledge_with_a_bad_commitment_or_period_is_refused(post, overrides, message):
    member = factories.MemberFactory()
    kwargs = pledge_kwargs(**overrides)
    assert refused(menu.pledge_create, post=post, member=member, **kwargs) == str(message)
    assert not PostPledge.objects.exists()


def test_staff_accept_a_pledge_and_a_second_one_to_the_same_post_is_refused(post, staff):
    member = factories.MemberFactory()
    pledge = menu.pledge_create(post=post, member=member, **pledge_kwargs())
    assert pledge.state == PostPledge.State.PENDING
    assert refused(menu.pledge_create, post=post, member=member, **pledge_kwargs()) == str(
        errors.PLEDGE_DUPLICATE
    )
    with pytest.raises(PermissionDenied):
        menu.pledge_accept(pledge=pledge, by=member.user)
    menu.pledge_accept(pledge=pledge, by=staff)
    period_over(pledge)
    menu.pledge_fulfil(pledge=pledge, by=staff)
    assert PostPledge.objects.get(pk=pledge.pk).state == PostPledge.State.FULFILLED


def period_over(pledge, *, ends_on=None):
    """Move the pledge's period to end today (a pledge cannot be made for the past)."""
    ends_on = ends_on or timezone.localdate()
    PostPledge.objects.filter(pk=pledge.pk).update(
        starts_on=ends_on - datetime.timedelta(days=30), ends_on=ends_on
    )
    pledge.refresh_from_db()


def test_a_pledge_cannot_be_fulfilled_before_its_period_ends(client, post, staff):
    """Not on the day it was accepted: from the last day of its period on. The admin offers no
    button, and a forced request says why and changes nothing."""
    from tests.factories import community_staff
    from tests.volunteering.admin.support import url

    admin = community_staff(post.community, "menu-staff")
    member = factories.MemberFactory()
    pledge = menu.pledge_create(post=post, member=member, **pledge_kwargs())
    menu.pledge_accept(pledge=pledge, by=staff)
    ends_on = pledge.ends_on.strftime("%Y-%m-%d")
    expected = f"承诺期到{ends_on}结束，届时才能确认履诺。"

    with pytest.raises(TransitionConflict) as excinfo:
        menu.pledge_fulfil(pledge=pledge, by=staff)
    assert excinfo.value.message == expected
    client.force_login(admin)
    listing = client.get(url("postpledge", "index")).content.decode()
    assert url("postpledge", "action", pledge.pk, "fulfil") not in listing
    response = client.post(url("postpledge", "action", pledge.pk, "fulfil"), {}, follow=True)
    assert expected in [str(m).strip() for m in response.context["messages"]]
    assert PostPledge.objects.get(pk=pledge.pk).state == PostPledge.State.ACCEPTED

    period_over(pledge)
    listing = client.get(url("postpledge", "index")).content.decode()
    assert url("postpledge", "action", pledge.pk, "fulfil") in listing
    response = client.post(url("postpledge", "action", pledge.pk, "fulfil"), {})
    assert response.status_code == 302
    assert PostPledge.objects.get(pk=pledge.pk).state == PostPledge.State.FULFILLED


def test_a_declined_pledge_needs_a_reason_and_the_member_may_withdraw_theirs(post, staff):
    member = factories.MemberFactory()
    pledge = menu.pledge_create(post=post, member=member, **pledge_kwargs())
    with pytest.raises(ValidationError):
        menu.pledge_decline(pledge=pledge, by=staff, reason="")
    menu.pledge_withdraw(pledge=pledge, by=member.user)
    assert PostPledge.objects.get(pk=pledge.pk).state == PostPledge.State.WITHDRAWN


def test_a_member_pledges_through_the_post_page_and_sees_errors(client, post):
    member = factories.MemberFactory()
    client.force_login(member.user)
    url = reverse("service:post_detail", args=[post.pk])
    today = timezone.localdate()
    bad = client.post(
        url,
        {
            "commitment": "认真履职",
            "starts_on": today,
            "ends_on": today.replace(year=today.year - 1),
        },
    )
    assert bad.status_code == 200
    assert str(errors.PLEDGE_PERIOD_INVALID) in bad.content.decode()
    assert not PostPledge.objects.exists()
    good = client.post(
        url, {"commitment": "认真履职", "starts_on": today, "ends_on": today}, follow=True
    )
    assert "领岗承诺已提交" in good.content.decode()
    assert PostPledge.objects.get().member == member
