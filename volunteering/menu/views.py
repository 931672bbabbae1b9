from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from volunteering import errors
from volunteering.menu import services as menu
from volunteering.menu.forms import PledgeForm
from volunteering.menu.models import Need, NeedClaim, Post, PostPledge, Team, TeamMembership
from volunteering.menu.selectors import labelled, open_needs, with_claim_of, with_places
from volunteering.menu.workflows import TEAM_MEMBERSHIP_WORKFLOW
from volunteering.people.forms import ReasonForm
from volunteering.people.selectors import member_for_request
from volunteering.people.views import REFUSALS, _my_page, _safe_next, member_action, refusal_message


def need_detail(request, pk):
    member = member_for_request(request)
    needs = Need.objects.filter(community__live=True).select_related("community")
    need = get_object_or_404(with_claim_of(with_places(needs), member), pk=pk)
    labelled([need], "my_claim_state", NeedClaim.State)
    context = {
        "need": need,
        "member": member,
        "missing_message": errors.MEMBER_RECORD_MISSING,
        "claimable": open_needs().filter(pk=need.pk).exists(),
        "skills": list(need.skills.all()),
    }
    return render(request, "volunteering/menu/need.html", context)


def _need_page(request, pk) -> str:
    return reverse("service:need_detail", args=[pk])


@member_action(fallback=_need_page)
def claim_create(request, pk, member):
    need = get_object_or_404(Need, pk=pk)
    menu.claim_create(need=need, member=member)
    return _("已认领“%(need)s”，请等待社区工作人员确认。") % {"need": need.title}


@member_action(fallback=_my_page)
def claim_withdraw(request, pk, member):
    claim = get_object_or_404(NeedClaim, pk=pk, member=member)
    menu.claim_withdraw(claim=claim, by=request.user)
    return _("已撤回认领。")


def post_detail(request, pk):
    """A post (岗位) and, for a signed-in member, the pledge form."""
    post = get_object_or_404(
        Post.objects.filter(community__live=True).select_related("community"), pk=pk
    )
    member = member_for_request(request)
    if request.method == "POST" and member is None:
        return redirect_to_login(request.get_full_path())
    form = PledgeForm(request.POST or None) if member else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            menu.pledge_create(post=post, member=member, **form.cleaned_data)
        except REFUSALS as exc:
            form.add_error(None, refusal_message(exc))
        else:
            messages.success(request, _("领岗承诺已提交，请等待社区工作人员确认。"))
            return redirect(_safe_next(request, reverse("service:my_service")))
    mine = None
    if member is not None:
        mine = post.pledges.filter(member=member, state__in=menu.ACTIVE_PLEDGE_STATES).first()
    context = {
        "post": post,
        "member": member,
        "form": form,
        "my_pledge": mine,
        "missing_message": errors.MEMBER_RECORD_MISSING,
    }
    return render(request, "volunteering/menu/post.html", context)


@member_action(fallback=_my_page)
def pledge_withdraw(request, pk, member):
    pledge = get_object_or_404(PostPledge, pk=pk, member=member)
    menu.pledge_withdraw(pledge=pledge, by=request.user)
    return _("已撤回领岗承诺。")


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
        team.memberships.filter(state__in=menu.ACTIVE_MEMBERSHIP_STATES)
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
    menu.team_join_request(team=team, member=member)
    return _("已申请加入“%(team)s”，请等待队长或社区工作人员审核。") % {"team": team.name}


@member_action(fallback=_my_page)
def team_leave(request, pk, member):
    membership = get_object_or_404(TeamMembership, pk=pk, member=member)
    menu.team_leave(membership=membership, by=request.user)
    return _("已退出服务队。")


@member_action(fallback=_membership_team_page, needs_member=False)
def team_join_approve(request, pk, member):
    membership = get_object_or_404(TeamMembership, pk=pk)
    menu.team_join_approve(membership=membership, by=request.user)
    return _("已同意 %(name)s 加入服务队。") % {"name": membership.member.real_name}


@member_action(fallback=_membership_team_page, needs_member=False)
def team_join_decline(request, pk, member):
    membership = get_object_or_404(TeamMembership, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    menu.team_join_decline(membership=membership, by=request.user, reason=reason)
    return _("已拒绝 %(name)s 的加入申请。") % {"name": membership.member.real_name}
