"""Reads about one member for the member themselves: "my service" (我的服务) — reports, claims,
pledges, teams, sign-ups, hours and the work record (工作记实)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Model, Q, QuerySet
from django.utils import timezone

from volunteering.models import (
    CommunityPage,
    Member,
    NeedClaim,
    PostPledge,
    Report,
    SignUp,
    TeamMembership,
)
from volunteering.selectors.menu import needs_matching_member
from workflows.history import parse_change_reason

RECOMMENDED_NEEDS_LIMIT = 5


@dataclass(frozen=True)
class WorkRecordEntry:
    """One line of the work record: an attended activity, its date and the hours served."""

    signup: SignUp
    activity: object
    community: CommunityPage | None
    hours: Decimal


@dataclass
class MyService:
    member: Member
    reports: list[Report] = field(default_factory=list)
    claims: list[NeedClaim] = field(default_factory=list)
    pledges: list[PostPledge] = field(default_factory=list)
    memberships: list[TeamMembership] = field(default_factory=list)
    led_teams: list = field(default_factory=list)
    upcoming_signups: list[SignUp] = field(default_factory=list)
    past_signups: list[SignUp] = field(default_factory=list)
    work_record: list[WorkRecordEntry] = field(default_factory=list)
    recommended_needs: list = field(default_factory=list)
    skills: list = field(default_factory=list)

    @property
    def skill_ids(self) -> set[int]:
        return {skill.pk for skill in self.skills}

    @property
    def hours_total(self) -> Decimal:
        return sum((entry.hours for entry in self.work_record), Decimal("0"))


def member_for_page(*, user) -> Member | None:
    """The member record of a signed-in user, with what every member page shows of it."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Member.objects.select_related("organisation", "residence_community", "user")
        .filter(user=user)
        .first()
    )


def member_for_request(request) -> Member | None:
    """`member_for_page` for the request's user, looked up once per request."""
    if not hasattr(request, "_volunteering_member"):
        request._volunteering_member = member_for_page(user=request.user)
    return request._volunteering_member


def decision_reasons(*, model: type[Model], pks: list[int], state: str) -> dict[int, str]:
    """The reason given when each object `pks` of `model` last entered `state` (a return, a
    decline, a rejection), read from its history: {pk: reason}. One query."""
    if not pks:
        return {}
    rows = (
        model.history.filter(id__in=pks, state=state)
        .order_by("id", "-history_date")
        .values_list("id", "history_change_reason")
    )
    reasons: dict[int, str] = {}
    for pk, change_reason in rows:
        reasons.setdefault(pk, reason_from_change(change_reason or ""))
    return reasons


def reason_from_change(change_reason: str) -> str:
    """The user's words in a transition's history change reason ("" for anything else);
    the format is read in one place, `workflows.history.parse_change_reason`."""
    reason = parse_change_reason(change_reason)
    return reason.words if reason.is_transition else ""


def my_service(*, member: Member, now=None) -> MyService:
    """Everything the member's "my service" page shows, in a fixed number of queries."""
    now = now or timezone.now()
    service = MyService(member=member)
    service.reports = _with_reasons(
        member.reports.select_related("community").order_by("-created_at", "-pk"),
        state=Report.State.RETURNED,
    )
    service.claims = _with_reasons(
        member.claims.select_related("need__community").order_by("-created_at", "-pk"),
        state=NeedClaim.State.DECLINED,
    )
    service.pledges = _with_reasons(
        member.pledges.select_related("post__community").order_by("-created_at", "-pk"),
        state=PostPledge.State.DECLINED,
    )
    service.memberships = _with_reasons(
        member.team_memberships.select_related("team__community", "team__organisation").order_by(
            "-created_at", "-pk"
        ),
        state=TeamMembership.State.DECLINED,
    )
    service.led_teams = _led_teams(member)
    _add_signups(service, member=member, now=now)
    service.skills = list(member.skills.all())
    service.recommended_needs = needs_matching_member(
        member=member, limit=RECOMMENDED_NEEDS_LIMIT, skill_ids=service.skill_ids
    )
    return service


def _with_reasons(queryset: QuerySet, *, state: str) -> list:
    """The objects of `queryset`, each with `decision_reason` (why it entered `state`)."""
    objects = list(queryset)
    pks = [obj.pk for obj in objects if obj.state == state]
    reasons = decision_reasons(model=queryset.model, pks=pks, state=state)
    for obj in objects:
        obj.decision_reason = reasons.get(obj.pk, "")
    return objects


def _led_teams(member: Member) -> list:
    return list(
        member.led_teams.annotate(
            pending_requests=Count(
                "memberships", filter=Q(memberships__state=TeamMembership.State.REQUESTED)
            )
        ).order_by("name", "pk")
    )


def _add_signups(service: MyService, *, member: Member, now) -> None:
    signups = _with_reasons(
        member.signups.select_related("activity").order_by("-activity__starts_at", "-pk"),
        state=SignUp.State.REJECTED,
    )
    communities = _communities_of([s.activity for s in signups])
    for signup in signups:
        signup.community = communities.get(signup.activity.path[: -CommunityPage.steplen])
        if signup.activity.starts_at >= now:
            service.upcoming_signups.append(signup)
        else:
            service.past_signups.append(signup)
        if signup.state == SignUp.State.ATTENDED:
            service.work_record.append(
                WorkRecordEntry(
                    signup=signup,
                    activity=signup.activity,
                    community=signup.community,
                    hours=signup.hours if signup.hours is not None else _hours(signup.activity),
                )
            )
    service.upcoming_signups.reverse()  # soonest first


def _communities_of(activities: list) -> dict[str, CommunityPage]:
    """The community page above each activity, by path, in one query."""
    paths = {a.path[: -CommunityPage.steplen] for a in activities}
    if not paths:
        return {}
    return {c.path: c for c in CommunityPage.objects.filter(path__in=paths)}


def _hours(activity) -> Decimal:
    seconds = (activity.ends_at - activity.starts_at).total_seconds()
    return Decimal(str(round(seconds / 3600, 1)))
