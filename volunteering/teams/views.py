"""Teams on the public site: a team's page, asking to join and leaving, and the decision on
requests to join by the leader or the community's staff."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from volunteering import errors
from volunteering.people.forms import ReasonForm
from volunteering.people.selectors import member_for_request
from volunteering.people.views import _my_page, member_action
from volunteering.teams import services as teams
from volunteering.teams.models import Team, TeamMembership
from volunteering.teams.workflows import TEAM_MEMBERSHIP_WORKFLOW


def team_detail(request, pk):
    """A team: its expertise, leader and size; its members' names for the team itself, and
    the requests to join for the leader (and the community's staff) to decide."""
    team = get_object_or_404(
        Team.objects.select_related("community", "organisation", "expertise", "leader"), pk=pk
    )
    if team.community_id and not team.community.live:
        raise Http404
    member = member_for_request(request)
    memberships = list(
        team.memberships.filter(state__in=teams.ACTIVE_MEMBERSHIP_STATES)
        .select_related("member")
        .order_by("created_at", "pk")
    )
    approved = [m for m in memberships if m.state == TeamMembership.State.APPROVED]
    mine = next((m for m in memberships if member and m.member_id == member.pk), None)
    decides = _decides_for(request.user, team)
    context = {
        "team": team,
        "member": member,
        "missing_message": errors.MEMBER_RECORD_MISSING,
        "approved": approved,
        "requests": [m for m in memberships if m.state == TeamMembership.State.REQUESTED],
        "my_membership": mine,
        "decides": decides,
        "shows_names": decides or (mine is not None and mine.state == "approved"),
        "reason_form": ReasonForm(),
    }
    return render(request, "volunteering/menu/team.html", context)


def _decides_for(user, team: Team) -> bool:
    """Whether `user` decides on requests to join `team` (its leader, or its community's staff)."""
    if not user.is_authenticated:
        return False
    probe = TeamMembership(team=team)  # `allowed` looks at the team only
    return TEAM_MEMBERSHIP_WORKFLOW.by_name["approve"].allowed(user, probe)


def _team_page(request, pk) -> str:
    return reverse("service:team_detail", args=[pk])


def _membership_team_page(request, pk) -> str:
    team_id = TeamMembership.objects.filter(pk=pk).values_list("team_id", flat=True).first()
    return _team_page(request, team_id) if team_id else reverse("service:my_service")


@member_action(fallback=_team_page)
def team_join(request, pk, member):
    team = get_object_or_404(Team, pk=pk)
    teams.team_join_request(team=team, member=member)
    return _("已申请加入“%(team)s”，请等待队长或社区工作人员审核。") % {"team": team.name}


@member_action(fallback=_my_page)
def team_leave(request, pk, member):
    membership = get_object_or_404(TeamMembership, pk=pk, member=member)
    teams.team_leave(membership=membership, by=request.user)
    return _("已退出服务队。")


@member_action(fallback=_membership_team_page, needs_member=False)
def team_join_approve(request, pk, member):
    membership = get_object_or_404(TeamMembership, pk=pk)
    teams.team_join_approve(membership=membership, by=request.user)
    return _("已同意 %(name)s 加入服务队。") % {"name": membership.member.real_name}


@member_action(fallback=_membership_team_page, needs_member=False)
def team_join_decline(request, pk, member):
    membership = get_object_or_404(TeamMembership, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    teams.team_join_decline(membership=membership, by=request.user, reason=reason)
    return _("已拒绝 %(name)s 的加入申请。") % {"name": membership.member.real_name}
