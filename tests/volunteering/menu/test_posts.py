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
    menu.pledge_fulfil(pledge=pledge, by=staff)
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
