"""Reads of the service menu (服务菜单), matching "what the community needs" with "what members
are good at" (社区所需, 党员所长) both ways, and a community's menu as its page shows it."""

from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from volunteering.communities.models import CommunityPage
from volunteering.menu.models import Need, NeedClaim, Post, PostPledge
from volunteering.menu.services import ACTIVE_PLEDGE_STATES, PLACE_HOLDING_CLAIM_STATES
from volunteering.people.models import Member
from volunteering.reporting.models import Report
from volunteering.teams.models import Team, TeamMembership
from volunteering.teams.selectors import _teams_of, count_subquery

MATCHING_NEEDS_LIMIT = 20


def open_needs() -> QuerySet[Need]:
    """Needs members may claim now: open, in a live community, whose period has not ended."""
    today = timezone.localdate()
    return Need.objects.filter(state=Need.State.OPEN, community__live=True).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )


def with_places(needs: QuerySet[Need]) -> QuerySet[Need]:
    """Annotate `taken`: the places held by confirmed (and completed) claims."""
    claims = NeedClaim.objects.filter(need=OuterRef("pk"), state__in=PLACE_HOLDING_CLAIM_STATES)
    return needs.annotate(taken=count_subquery(claims))


def with_claim_of(needs: QuerySet[Need], member: Member | None) -> QuerySet[Need]:
    """Annotate `my_claim_state`: `member`'s live claim of each need, or None."""
    if member is None:
        return needs.annotate(my_claim_state=Value(None, output_field=CharField()))
    mine = NeedClaim.objects.filter(
        need=OuterRef("pk"), member=member, state__in=NeedClaim.ACTIVE_STATES
    ).values("state")[:1]
    return needs.annotate(my_claim_state=Subquery(mine))


def reported_community_ids(*, member: Member) -> set[int]:
    """Communities where `member` has a confirmed report (their communities)."""
    return set(
        member.reports.filter(state=Report.State.CONFIRMED).values_list("community_id", flat=True)
    )


def needs_matching_member(
    *, member: Member, limit: int = MATCHING_NEEDS_LIMIT, skill_ids: set[int] | None = None
) -> list[Need]:
    """Open needs that match `member`'s skills, in the communities they serve first, then the
    others, each group ranked by how many of the wanted skills the member has. A need that asks
    for no particular skill matches everyone (with no matching skill to rank it up).

    Each need carries `matches`, `in_my_communities`, `taken` and `my_claim_state`."""
    if skill_ids is None:
        skill_ids = set(member.skills.values_list("pk", flat=True))
    mine = reported_community_ids(member=member)
    needs = (
        open_needs()
        .annotate(
            matches=Count("skills", filter=Q(skills__in=list(skill_ids)), distinct=True),
            wanted=Count("skills", distinct=True),
        )
        .filter(Q(matches__gt=0) | Q(wanted=0))
        .annotate(
            in_my_communities=Case(
                When(community_id__in=mine, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )
    needs = with_claim_of(with_places(needs), member)
    needs = needs.select_related("community").prefetch_related("skills")
    needs = needs.order_by("-in_my_communities", "-matches", "-created_at", "-pk")[:limit]
    return labelled(list(needs), "my_claim_state", NeedClaim.State)


def members_matching_need(*, need: Need, limit: int | None = None) -> list[Member]:
    """For staff: the members confirmed in the need's community whose skills match it, best
    first (most wanted skills). When the need asks for no particular skill, every confirmed
    member matches. Each member carries `matches` and `has_claimed` (a live claim of this need).
    Callers check that the user is staff of the need's community (`volunteering.scopes`)."""
    wanted = list(need.skills.values_list("pk", flat=True))
    confirmed = Report.objects.filter(community_id=need.community_id, state=Report.State.CONFIRMED)
    members = Member.objects.filter(pk__in=confirmed.values("member_id"), user__is_active=True)
    if wanted:
        members = members.annotate(
            matches=Count("skills", filter=Q(skills__in=wanted), distinct=True)
        ).filter(matches__gt=0)
    else:
        members = members.annotate(matches=Value(0, output_field=IntegerField()))
    claimed = NeedClaim.objects.filter(
        need=need, member=OuterRef("pk"), state__in=NeedClaim.ACTIVE_STATES
    )
    members = (
        members.annotate(has_claimed=Exists(claimed))
        .select_related("organisation", "user")
        .prefetch_related("skills")
        .order_by("-matches", "real_name", "pk")
    )
    return list(members[:limit] if limit else members)


@dataclass
class ServiceMenu:
    needs: list[Need] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.needs or self.posts or self.teams)


def community_service_menu(*, community: CommunityPage, member: Member | None) -> ServiceMenu:
    """Open needs (with places taken and `member`'s claim), posts (with `member`'s live pledge
    as `my_pledge_state`) and teams (with `member_count`, `my_membership_state`). A fixed number
    of queries whatever the number of rows."""
    needs = with_claim_of(with_places(open_needs().filter(community=community)), member)
    needs = needs.prefetch_related("skills").order_by("-created_at", "-pk")
    return ServiceMenu(
        needs=labelled(list(needs), "my_claim_state", NeedClaim.State),
        posts=labelled(list(_posts_of(community, member)), "my_pledge_state", PostPledge.State),
        teams=labelled(
            list(_teams_of(community, member)), "my_membership_state", TeamMembership.State
        ),
    )


def labelled(objects: list, attribute: str, states) -> list:
    """Give each object `<attribute>_label`, the readable name of its annotated state, and
    needs their `places_left`."""
    for obj in objects:
        state = getattr(obj, attribute)
        setattr(obj, f"{attribute}_label", states(state).label if state else "")
        if isinstance(obj, Need):
            obj.places_left = max(obj.places - obj.taken, 0)
    return objects


def _posts_of(community: CommunityPage, member: Member | None) -> QuerySet[Post]:
    posts = Post.objects.filter(community=community).order_by("title", "pk")
    if member is None:
        return posts.annotate(my_pledge_state=Value(None, output_field=CharField()))
    mine = PostPledge.objects.filter(
        post=OuterRef("pk"), member=member, state__in=ACTIVE_PLEDGE_STATES
    ).values("state")[:1]
    return posts.annotate(my_pledge_state=Subquery(mine))
