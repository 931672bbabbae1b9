"""Reads about teams: a community's teams with their size and the member's own membership (for the
community's service menu), and the correlated count they are built with."""

from django.db.models import (
    CharField,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)

from volunteering.communities.models import CommunityPage
from volunteering.people.models import Member
from volunteering.teams.models import Team, TeamMembership
from volunteering.teams.services import ACTIVE_MEMBERSHIP_STATES


def _teams_of(community: CommunityPage, member: Member | None) -> QuerySet[Team]:
    approved = TeamMembership.objects.filter(team=OuterRef("pk"), state="approved")
    teams = (
        Team.objects.filter(community=community)
        .select_related("expertise", "leader")
        .annotate(member_count=count_subquery(approved))
        .order_by("name", "pk")
    )
    if member is None:
        return teams.annotate(my_membership_state=Value(None, output_field=CharField()))
    mine = TeamMembership.objects.filter(
        team=OuterRef("pk"), member=member, state__in=ACTIVE_MEMBERSHIP_STATES
    ).values("state")[:1]
    return teams.annotate(my_membership_state=Subquery(mine))


def count_subquery(queryset: QuerySet) -> Subquery:
    """A correlated COUNT(*) of `queryset` (filtered on an OuterRef), as an annotation."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())
