"""Reads for the iCalendar feeds: a community's recent and coming activities, and a member's
own sign-ups."""

import datetime

from django.utils import timezone

from volunteering.activities.models import ActivityPage
from volunteering.activities.selectors import attach_communities, public_activities
from volunteering.communities.models import CommunityPage
from volunteering.people.models import Member
from volunteering.signups.models import SignUp

# The private calendar keeps a member's recent past too, so attended activities stay visible.
MEMBER_CALENDAR_PAST_DAYS = 90

COMMUNITY_CALENDAR_PAST_DAYS = 30

MEMBER_CALENDAR_STATES = (
    SignUp.State.PENDING,
    SignUp.State.APPROVED,
    SignUp.State.WAITLISTED,
    SignUp.State.ATTENDED,
)


def community_calendar_activities(*, community: CommunityPage) -> list[ActivityPage]:
    """The community's live activities for its calendar feed: recent and coming ones."""
    since = timezone.now() - datetime.timedelta(days=COMMUNITY_CALENDAR_PAST_DAYS)
    activities = list(
        public_activities().child_of(community).filter(ends_at__gte=since).order_by("starts_at")
    )
    for activity in activities:
        activity.community = community
    return activities


def member_calendar_signups(*, member: Member) -> list[SignUp]:
    """The member's sign-ups that belong in their private calendar (two queries)."""
    since = timezone.now() - datetime.timedelta(days=MEMBER_CALENDAR_PAST_DAYS)
    signups = list(
        SignUp.objects.filter(
            member=member,
            state__in=MEMBER_CALENDAR_STATES,
            activity__live=True,
            activity__ends_at__gte=since,
        )
        .select_related("activity")
        .order_by("activity__starts_at")
    )
    attach_communities([s.activity for s in signups])
    return signups
