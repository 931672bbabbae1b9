"""Members' pages on the public site: sign-in and out, "my service" (/my/), the profile,
reporting to a community (报到) and the service menu (claims, pledges, teams).

Views only translate between HTTP and the services: every rule lives in
`volunteering.services`, every read in `volunteering.selectors`. A refusal becomes a message
the member can read and changes nothing."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from volunteering import errors
from volunteering.forms import LoginForm, PledgeForm, ProfileForm, ReasonForm, ReportForm
from volunteering.models import (
    CommunityIndexPage,
    CommunityPage,
    Need,
    NeedClaim,
    Post,
    PostPledge,
    Report,
    Team,
    TeamMembership,
)
from volunteering.selectors.history import member_record, member_record_title, member_timeline
from volunteering.selectors.members import member_for_request, my_service
from volunteering.selectors.menu import labelled, open_needs, with_claim_of, with_places
from volunteering.selectors.points import member_points
from volunteering.services import menu, profiles, reports
from volunteering.workflows import TEAM_MEMBERSHIP_WORKFLOW
from workflows.statemachine import TransitionConflict

PRIVACY_PAGE_SLUG = "privacy"
REFUSALS = (errors.ServiceError, TransitionConflict, ValidationError, PermissionDenied)


# --- Signing in and out ---------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Signing out is a POST (a link cannot sign anyone out); a GET asks to confirm."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return render(request, "registration/logout_confirm.html")


# --- Helpers --------------------------------------------------------------------------------


def refusal_message(exc: Exception) -> str:
    """What a member reads when a service or workflow refuses a request."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, PermissionDenied):
        return str(exc) or _("您没有权限执行这个操作。")
    return str(exc.message)


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else fallback


def member_action(fallback, *, needs_member: bool = True):
    """A member's POSTed action: signs in first if needed, requires a member record (unless
    `needs_member` is off: a community's staff deciding), and sends the user back to `next`
    (or `fallback(request, pk)`) with a message."""

    def decorator(view):
        @wraps(view)
        @require_POST
        def wrapper(request, pk, *args, **kwargs):
            back = _safe_next(request, fallback(request, pk))
            if not request.user.is_authenticated:
                return redirect_to_login(back)
            member = member_for_request(request)
            if member is None and needs_member:
                messages.error(request, errors.MEMBER_RECORD_MISSING)
                return redirect(back)
            try:
                success = view(request, pk, member, *args, **kwargs)
            except REFUSALS as exc:
                messages.error(request, refusal_message(exc))
            else:
                messages.success(request, success)
            return redirect(back)

        return wrapper

    return decorator


def _my_page(request, pk) -> str:
    return reverse("service:my_service")


# --- "My service" and the profile -----------------------------------------------------------


@login_required
def my_service_view(request):
    member = member_for_request(request)
    context = {
        "member": member,
        "missing_message": errors.MEMBER_RECORD_MISSING,
        "service": my_service(member=member) if member else None,
        "active_report_states": Report.ACTIVE_STATES,
        "communities_index": CommunityIndexPage.objects.live().public().first(),
        "calendar_url": member_calendar_url(request, member) if member else "",
        "points": member_points(member) if member else None,
    }
    return render(request, "volunteering/my_service.html", context)


def member_calendar_url(request, member) -> str:
    """The page that gives the member their private iCalendar feed (`volunteering.calendars`),
    or "" while that part is not installed."""
    try:
        return reverse("my_calendar")
    except NoReverseMatch:
        return ""


@login_required
def member_profile(request):
    member = member_for_request(request)
    form = None
    if member is not None:
        form = ProfileForm(request.POST or None, instance=member)
        if request.method == "POST" and form.is_valid():
            try:
                profiles.member_profile_update(
                    member=member,
                    by=request.user,
                    skills=form.cleaned_data["skills"],
                    other_skills=form.cleaned_data["other_skills"],
                    residence_community=form.cleaned_data["residence_community"],
                    phone=form.cleaned_data["phone"],
                    consent=form.cleaned_data["consent"],
                    hide_from_rankings=form.cleaned_data["hide_from_rankings"],
                )
            except REFUSALS as exc:
                form.add_error(None, refusal_message(exc))
            else:
                messages.success(request, _("个人信息已保存。"))
                return redirect("service:member_profile")
    privacy_page = Page.objects.live().public().filter(slug=PRIVACY_PAGE_SLUG).first()
    context = {
        "member": member,
        "form": form,
        "privacy_page": privacy_page,
        "missing_message": errors.MEMBER_RECORD_MISSING,
    }
    return render(request, "volunteering/member_profile.html", context)


@login_required
def my_history(request, kind, pk):
    """The history of one of the member's own records (报到, 报名, 认领, 领岗, 入队): when, what,
    by whom (by role) and why. Anyone else's record answers 404, as if it did not exist."""
    member = member_for_request(request)
    record = member_record(member=member, kind=kind, pk=pk) if member else None
    if record is None:
        raise Http404
    context = {
        "member": member,
        "record": record,
        "title": member_record_title(record),
        "timeline": member_timeline(member=member, obj=record),
    }
    return render(request, "volunteering/my_history.html", context)


# --- Reporting (报到) -----------------------------------------------------------------------


@login_required
def report_create(request, pk):
    community = get_object_or_404(CommunityPage.objects.live().public(), pk=pk)
    member = member_for_request(request)
    form = None
    if member is not None:
        form = ReportForm(request.POST or None, member=member, community=community)
        if request.method == "POST" and form.is_valid():
            try:
                reports.report_create(member=member, community=community, **form.cleaned_data)
            except REFUSALS as exc:
                form.add_error(None, refusal_message(exc))
            else:
                messages.success(request, _("报到申请已提交，请等待社区工作人员确认。"))
                return redirect(community.url + "#service-messages")
    context = {
        "community": community,
        "member": member,
        "form": form,
        "missing_message": errors.MEMBER_RECORD_MISSING,
    }
    return render(request, "volunteering/report_form.html", context)


@member_action(fallback=_my_page)
def report_withdraw(request, pk, member):
    report = get_object_or_404(Report, pk=pk, member=member)
    reports.report_withdraw(report=report, by=request.user)
    return _("已撤回报到。")


# --- Needs and claims (认领) -----------------------------------------------------------------


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
    return render(request, "volunteering/need.html", context)


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


# --- Posts and pledges (领岗承诺) ------------------------------------------------------------


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
    return render(request, "volunteering/post.html", context)


@member_action(fallback=_my_page)
def pledge_withdraw(request, pk, member):
    pledge = get_object_or_404(PostPledge, pk=pk, member=member)
    menu.pledge_withdraw(pledge=pledge, by=request.user)
    return _("已撤回领岗承诺。")


# --- Teams (服务队) -------------------------------------------------------------------------


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
    return render(request, "volunteering/team.html", context)


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
