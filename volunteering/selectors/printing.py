"""Printable records (打印档案): a member's service file (服务档案) and a community's contact
handbook (联系手册). Who may open each, and everything each shows, in a fixed number of queries
whatever the number of members, teams or posts."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from volunteering.models import (
    Assessment,
    CommunityPage,
    Member,
    Post,
    PostPledge,
    Report,
    ServiceFile,
    Team,
    TeamMembership,
)
from volunteering.scopes import can_see_member_phone, is_staff_of
from volunteering.selectors.members import WorkRecordEntry, my_service
from volunteering.selectors.points import MemberPoints, member_points

# Ruled lines left empty at the end of each printout for handwritten follow-up notes (随记随访).
NOTE_LINES = 12


def may_print_service_file(user, member: Member) -> bool:
    """The member themselves, staff of a community they reported to (pending or confirmed),
    their organisation's admins and the city: the same people who may see their phone."""
    return can_see_member_phone(user, member)


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
