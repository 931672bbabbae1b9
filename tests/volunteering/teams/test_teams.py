"""Service teams (服务队): asking to join, the leader's or staff's decision, leaving, and the
team page."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests import factories
from tests.volunteering.support import refused
from volunteering import errors
from volunteering.teams.models import TeamMembership
from volunteering.teams.services import (
    team_join_approve,
    team_join_decline,
    team_join_request,
    team_leave,
)


def test_the_leader_approves_a_request_to_join(team):
    member = factories.MemberFactory()
    membership = team_join_request(team=team, member=member)
    assert membership.state == TeamMembership.State.REQUESTED
    assert refused(team_join_request, team=team, member=member) == str(
        errors.TEAM_ALREADY_REQUESTED
    )
    team_join_approve(membership=membership, by=team.leader.user)
    assert TeamMembership.objects.get(pk=membership.pk).state == TeamMembership.State.APPROVED
    assert refused(team_join_request, team=team, member=member) == str(errors.TEAM_ALREADY_MEMBER)


def test_staff_may_decide_on_joining_but_other_members_may_not(team, staff):
    first = team_join_request(team=team, member=factories.MemberFactory())
    second = team_join_request(team=team, member=factories.MemberFactory())
    with pytest.raises(PermissionDenied):
        team_join_approve(membership=first, by=second.member.user)
    team_join_decline(membership=first, by=staff, reason="本队只收有律师执业证的党员")
    assert TeamMembership.objects.get(pk=first.pk).state == TeamMembership.State.DECLINED


def test_a_member_leaves_a_team_and_may_ask_again(team):
    member = factories.MemberFactory()
    membership = team_join_request(team=team, member=member)
    team_join_approve(membership=membership, by=team.leader.user)
    team_leave(membership=membership, by=member.user)
    assert TeamMembership.objects.get(pk=membership.pk).state == TeamMembership.State.LEFT
    assert team_join_request(team=team, member=member).pk != membership.pk


def test_a_member_asks_to_join_a_team_and_the_leader_approves_on_the_team_page(client, team):
    member = factories.MemberFactory(real_name="王小明")
    client.force_login(member.user)
    client.post(reverse("service:team_join", args=[team.pk]))
    membership = TeamMembership.objects.get(member=member)
    client.force_login(team.leader.user)
    page = client.get(reverse("service:team_detail", args=[team.pk])).content.decode()
    assert "加入申请" in page and "王小明" in page
    client.post(reverse("service:team_join_approve", args=[membership.pk]))
    assert TeamMembership.objects.get(pk=membership.pk).state == TeamMembership.State.APPROVED


def test_a_member_cannot_approve_requests_to_a_team_they_do_not_lead(client, team):
    membership = team_join_request(team=team, member=factories.MemberFactory())
    intruder = factories.MemberFactory()
    client.force_login(intruder.user)
    page = client.get(reverse("service:team_detail", args=[team.pk])).content.decode()
    assert "加入申请" not in page
    response = client.post(reverse("service:team_join_approve", args=[membership.pk]), follow=True)
    assert response.status_code == 200
    assert "您没有权限" in response.content.decode()
    assert TeamMembership.objects.get(pk=membership.pk).state == TeamMembership.State.REQUESTED
