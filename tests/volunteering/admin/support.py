"""What the admin tests share: two communities with their staff, two organisations (one with
an admin), the city, and work of every kind in each community. The users of each role are
made by `tests.factories` (`community_staff`, `city_user`, `organisation_admin`).

The admin kit's tests get it as the `world` fixture (admin/conftest.py); other modules
declare their own `world` fixture calling `build_world(site_tree)`."""

import datetime
import io
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.factories import city_user, community_staff, organisation_admin
from volunteering.menu.models import Need, NeedClaim, Post, PostPledge
from volunteering.reporting.models import Report
from volunteering.signups.models import SignUp
from volunteering.teams.models import Team, TeamMembership
from workflows.statemachine import fixture_states


def url(viewset_model: str, view: str, *args) -> str:
    return reverse(f"volunteering_{viewset_model}:{view}", args=args)


def xlsx_rows(content: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


@dataclass
class Side:
    """One community with its staff and one of each kind of work in it."""

    community: object
    staff: object
    member: object
    report: Report
    need: Need
    claim: NeedClaim
    team: Team
    membership: TeamMembership
    post: Post
    pledge: PostPledge
    activity: object
    signup: SignUp


@dataclass
class World:
    a: Side
    b: Side
    city: object
    organisation_a: object
    organisation_b: object
    organisation_admin: object


@fixture_states()
def build_side(community, *, staff_name: str, member_name: str, organisation) -> Side:
    member = factories.MemberFactory(
        real_name=member_name, organisation=organisation, user__username=f"{staff_name}-member"
    )
    report = Report.objects.create(
        member=member, community=community, kind=Report.Kind.VOLUNTARY, is_primary=True
    )
    need = Need.objects.create(community=community, title=f"{community.title}的需求", places=3)
    claim = NeedClaim.objects.create(need=need, member=member)
    team = Team.objects.create(name=f"{community.title}法律服务队", community=community)
    membership = TeamMembership.objects.create(team=team, member=member)
    post = Post.objects.create(community=community, title=f"{community.title}楼栋联络员")
    today = timezone.localdate()
    pledge = PostPledge.objects.create(
        post=post,
        member=member,
        commitment="每周联系楼栋居民",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=90),
    )
    activity = factories.ActivityPageFactory(
        parent=community, title=f"{community.title}义诊", needs_approval=True
    )
    signup = SignUp.objects.create(
        activity=activity, member=member, state=SignUp.State.PENDING, queued_at=timezone.now()
    )
    return Side(
        community=community,
        staff=community_staff(community, staff_name),
        member=member,
        report=report,
        need=need,
        claim=claim,
        team=team,
        membership=membership,
        post=post,
        pledge=pledge,
        activity=activity,
        signup=signup,
    )


def build_world(site_tree) -> World:
    organisation_a = factories.OrganisationFactory(name="麒麟区人民法院")
    organisation_b = factories.OrganisationFactory(name="曲靖市税务局")
    a = build_side(
        site_tree.community, staff_name="staff-a", member_name="张三", organisation=organisation_a
    )
    b = build_side(
        site_tree.other_community,
        staff_name="staff-b",
        member_name="李四",
        organisation=organisation_b,
    )
    return World(
        a=a,
        b=b,
        city=city_user(),
        organisation_a=organisation_a,
        organisation_b=organisation_b,
        organisation_admin=organisation_admin(organisation_a, "org-admin-a"),
    )
