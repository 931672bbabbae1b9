"""Printable records (打印档案): a member's service file (服务档案) and a community's contact
handbook (联系手册). Who may open each, and everything each shows, in a fixed number of queries
whatever the number of members, teams or posts."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from volunteering.assessment.models import Assessment
from volunteering.communities.models import CommunityPage
from volunteering.history import decision_reasons
from volunteering.menu.models import NeedClaim, Post, PostPledge
from volunteering.menu.selectors import needs_matching_member
from volunteering.people.models import Member
from volunteering.points.selectors import MemberPoints, member_points
from volunteering.reporting.models import Report, ServiceFile
from volunteering.scopes import is_staff_of
from volunteering.signups.models import SignUp
from volunteering.signups.selectors import served_hours
from volunteering.teams.models import Team, TeamMembership

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
                    hours=served_hours(signup),
                )
            )
    service.upcoming_signups.reverse()  # soonest first


def _communities_of(activities: list) -> dict[str, CommunityPage]:
    """The community page above each activity, by path, in one query."""
    paths = {a.path[: -CommunityPage.steplen] for a in activities}
    if not paths:
        return {}
    return {c.path: c for c in CommunityPage.objects.filter(path__in=paths)}


# Ruled lines left empty at the end of each printout for handwritten follow-up notes (随记随访).
NOTE_LINES = 12


def may_print_handbook(user, community: CommunityPage) -> bool:
    """A handbook lists members' names and phones: that community's staff and the city only."""
    return getattr(user, "is_authenticated", False) and is_staff_of(user, community.pk)


@dataclass
class ServiceFilePrint:
    member: Member
    show_phone: bool
    files: list[ServiceFile] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    skills: list = field(default_factory=list)
    work_record: list[WorkRecordEntry] = field(default_factory=list)
    hours_total: Decimal = Decimal("0")
    points: MemberPoints | None = None
    pledges: list[PostPledge] = field(default_factory=list)
    memberships: list[TeamMembership] = field(default_factory=list)
    led_teams: list[Team] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    note_lines: range = range(NOTE_LINES)


def service_file_print(*, member: Member, show_phone: bool) -> ServiceFilePrint:
    """What the printed service file shows. Only what stands (confirmed reports, accepted or
    fulfilled pledges, approved team memberships, submitted assessments): a record on paper
    is not a list of requests still in progress. `show_phone`: `can_see_member_phone`, which
    the caller has already asked (everyone allowed to print the file may see the phone)."""
    service = my_service(member=member)
    return ServiceFilePrint(
        member=member,
        show_phone=show_phone,
        files=list(
            member.service_files.select_related("community", "report").order_by("opened_at", "pk")
        ),
        reports=[r for r in service.reports if r.state == Report.State.CONFIRMED],
        skills=service.skills,
        work_record=service.work_record,
        hours_total=service.hours_total,
        points=member_points(member),
        pledges=[
            p
            for p in service.pledges
            if p.state in (PostPledge.State.ACCEPTED, PostPledge.State.FULFILLED)
        ],
        memberships=[m for m in service.memberships if m.state == TeamMembership.State.APPROVED],
        led_teams=service.led_teams,
        assessments=list(
            member.assessments.filter(state=Assessment.State.SUBMITTED)
            .select_related("community")
            .order_by("-year", "community__title")
        ),
    )


def member_for_print(pk: int) -> Member | None:
    return (
        Member.objects.select_related("organisation", "residence_community", "user")
        .filter(pk=pk)
        .first()
    )


@dataclass
class HandbookPrint:
    community: CommunityPage
    show_phone: bool
    teams: list[Team] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    note_lines: range = range(NOTE_LINES)


def handbook_print(*, community: CommunityPage, user, today=None) -> HandbookPrint:
    """The contact handbook: the community's teams with their members, its posts with the
    members pledged to them today, and the members who reported there (confirmed)."""
    today = today or timezone.localdate()
    approved = TeamMembership.objects.filter(state=TeamMembership.State.APPROVED).select_related(
        "member__organisation"
    )
    current_pledges = PostPledge.objects.filter(
        state=PostPledge.State.ACCEPTED, starts_on__lte=today, ends_on__gte=today
    ).select_related("member__organisation")
    teams = (
        Team.objects.filter(community=community)
        .select_related("leader__organisation", "expertise")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=approved.order_by("member__real_name", "pk"),
                to_attr="approved_memberships",
            )
        )
        .order_by("name", "pk")
    )
    posts = (
        Post.objects.filter(community=community)
        .prefetch_related(
            Prefetch(
                "pledges",
                queryset=current_pledges.order_by("member__real_name", "pk"),
                to_attr="current_pledges",
            )
        )
        .order_by("title", "pk")
    )
    reports = (
        Report.objects.filter(community=community, state=Report.State.CONFIRMED)
        .select_related("member__organisation")
        .prefetch_related("member__skills")
        .order_by("member__organisation__name", "member__real_name", "pk")
    )
    return HandbookPrint(
        community=community,
        show_phone=is_staff_of(user, community.pk),
        teams=list(teams),
        posts=list(posts),
        reports=list(reports),
    )
