"""Joining and leaving a team: a member asks to join, the leader or the community's staff decide,
the member leaves."""

from django.db import transaction

from volunteering import errors
from volunteering.errors import workflow_start_once
from volunteering.people.models import Member
from volunteering.people.services import member_lock
from volunteering.teams.models import Team, TeamMembership
from volunteering.teams.workflows import TEAM_MEMBERSHIP_WORKFLOW

ACTIVE_MEMBERSHIP_STATES = (TeamMembership.State.REQUESTED, TeamMembership.State.APPROVED)


@transaction.atomic
def team_join_request(*, team: Team, member: Member) -> TeamMembership:
    """A member asks to join a team; the leader or the community's staff decide."""
    member_lock(member)
    live = TeamMembership.objects.filter(
        team=team, member=member, state__in=ACTIVE_MEMBERSHIP_STATES
    ).first()
    if live is not None:
        if live.state == TeamMembership.State.APPROVED:
            raise errors.ServiceError(errors.TEAM_ALREADY_MEMBER)
        raise errors.ServiceError(errors.TEAM_ALREADY_REQUESTED)
    membership = TeamMembership(team=team, member=member)
    workflow_start_once(
        TEAM_MEMBERSHIP_WORKFLOW,
        membership,
        "request",
        by=member.user,
        duplicate_message=errors.TEAM_ALREADY_REQUESTED,
    )
    return membership


def _locked_membership(membership: TeamMembership) -> TeamMembership:
    return (
        TeamMembership.objects.select_for_update(of=("self",))
        .select_related("team__leader", "member")
        .get(pk=membership.pk)
    )


@transaction.atomic
def team_join_approve(*, membership: TeamMembership, by, note: str = "") -> TeamMembership:
    membership = _locked_membership(membership)
    return TEAM_MEMBERSHIP_WORKFLOW.perform(membership, "approve", by=by, reason=note)


@transaction.atomic
def team_join_decline(*, membership: TeamMembership, by, reason: str) -> TeamMembership:
    membership = _locked_membership(membership)
    return TEAM_MEMBERSHIP_WORKFLOW.perform(membership, "decline", by=by, reason=reason)


@transaction.atomic
def team_leave(*, membership: TeamMembership, by, reason: str = "") -> TeamMembership:
    membership = _locked_membership(membership)
    return TEAM_MEMBERSHIP_WORKFLOW.perform(membership, "leave", by=by, reason=reason)
