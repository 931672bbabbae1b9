"""Reads about activities and sign-ups, shared by the pages, calendars, the API and commands.

Every function here runs a fixed number of queries whatever the number of activities or
sign-ups: places are counted in subqueries, communities are attached in one query."""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import (
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import PageViewRestriction

from portal.day_spans import first_rows_by_day
from portal.page_tree_cache import tree_cached
from volunteering import errors
from volunteering.activities.models import ActivityIndexPage, ActivityPage, Theme
from volunteering.communities.models import CommunityPage, CountyPage
from volunteering.people.models import Member, Skill
from volunteering.scopes import is_staff_of, member_of
from volunteering.signups.models import SignUp
from volunteering.signups.selectors import (
    member_overlapping_signups,
    member_signup_for,
    signup_refusal,
    start_of_day,
    waitlist_position,
)
from volunteering.signups.workflows import SIGNUP_WORKFLOW

COMMUNITY_ACTIVITIES_LIMIT = 5


@dataclass(frozen=True)
class ActivityFilters:
    """The listing's filters; None means "any"."""

    county: CountyPage | None = None
    community: CommunityPage | None = None
    theme: Theme | None = None
    skill: Skill | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _count_signups(states) -> Coalesce:
    counted = (
        SignUp.objects.filter(activity=OuterRef("pk"), state__in=states)
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_places(activities: QuerySet[ActivityPage]) -> QuerySet[ActivityPage]:
    """Annotate `places_taken` and `waitlist_length` (so `places_left` works)."""
    return activities.annotate(
        places_taken=_count_signups(SignUp.HOLDING_STATES),
        waitlist_length=_count_signups([SignUp.State.WAITLISTED]),
    )


# The member's own states shown beside an activity in listings (已报名, 候补, 已签到…).
LISTED_OWN_STATES = (
    SignUp.State.PENDING,
    SignUp.State.APPROVED,
    SignUp.State.WAITLISTED,
    SignUp.State.ATTENDED,
)


def with_own_state(activities: QuerySet[ActivityPage], member: Member | None):
    """Annotate `own_state`: the member's sign-up state where listings show it, else None.
    A subquery, so a listing costs no query more per row (nor at all) for a signed-in member."""
    if member is None:
        return activities.annotate(own_state=Value(None, output_field=CharField()))
    own = SignUp.objects.filter(
        activity=OuterRef("pk"), member=member, state__in=LISTED_OWN_STATES
    ).values("state")[:1]
    return activities.annotate(own_state=Subquery(own, output_field=CharField()))


def public_activities() -> QuerySet[ActivityPage]:
    return ActivityPage.objects.live().public()


def without_private(pages: QuerySet) -> QuerySet:
    """`pages.public()` in the same statement: the view restrictions as a `NOT EXISTS`
    subquery instead of read beforehand (Wagtail's `public()` costs a query of its own, each
    time it is called: a listing with its filter's counties and communities paid three)."""
    page_path = ExpressionWrapper(OuterRef("path"), output_field=CharField())
    restricted = PageViewRestriction.objects.annotate(page_path=page_path).filter(
        page_path__startswith=F("page__path")
    )
    return pages.exclude(Exists(restricted))


def public_activities_one_query() -> QuerySet[ActivityPage]:
    """The same activities as `public_activities`, in one statement: for a write that finds
    and locks the activity in one statement (signing up through the API), and the listings."""
    return without_private(ActivityPage.objects.live())


def activities_for_listing(
    *,
    filters: ActivityFilters | None = None,
    now: datetime.datetime | None = None,
    member: Member | None = None,
) -> QuerySet[ActivityPage]:
    """Live activities matching `filters`, soonest first, with places counted and `member`'s own
    state (`own_state`). Without a start date only activities that have not ended are listed."""
    filters = filters or ActivityFilters()
    qs = public_activities_one_query()
    if filters.community is not None:
        qs = qs.child_of(filters.community)
    elif filters.county is not None:
        qs = qs.descendant_of(filters.county)
    if filters.theme is not None:
        qs = qs.filter(theme=filters.theme)
    if filters.skill is not None:
        qs = qs.filter(skills=filters.skill)
    if filters.date_from is not None:
        qs = qs.filter(ends_at__gte=start_of_day(filters.date_from))
    else:
        qs = qs.filter(ends_at__gte=now or timezone.now())
    if filters.date_to is not None:
        qs = qs.filter(starts_at__lt=start_of_day(filters.date_to + datetime.timedelta(days=1)))
    return (
        with_own_state(with_places(qs), member)
        .select_related("theme", "team")
        .prefetch_related("skills")
        .order_by("starts_at", "pk")
    )


def attach_communities(activities, *, known=None) -> list[ActivityPage]:
    """Set `.community` on each activity with one query for all of them, or none when the
    communities are `known` already (a listing filtered by county or community)."""
    activities = list(activities)
    parent_paths = {a.path[: -ActivityPage.steplen] for a in activities}
    if known is None:
        known = CommunityPage.objects.filter(path__in=parent_paths)
    by_path = {c.path: c for c in known}
    for activity in activities:
        community = by_path.get(activity.path[: -ActivityPage.steplen])
        if community is not None:
            activity.community = community
    return activities


def community_upcoming_activities(
    *,
    community: CommunityPage,
    limit: int = COMMUNITY_ACTIVITIES_LIMIT,
    member: Member | None = None,
) -> list[ActivityPage]:
    """The community's next live activities (not yet ended), with places counted and `member`'s
    own state (`own_state`). Without their skills: the community page and the display screen
    do not show them (the listing's items do, `activity_list_item.html`)."""
    upcoming = public_activities().child_of(community).filter(ends_at__gte=timezone.now())
    activities = list(
        with_own_state(with_places(upcoming), member)
        .select_related("theme")
        .order_by("starts_at", "pk")[:limit]
    )
    for activity in activities:
        activity.community = community
    return activities


def activity_index_page() -> ActivityIndexPage | None:
    """The live activity listing (one per site) that every community page links to, kept in the
    shared cache until the page tree changes (portal.page_tree_cache)."""
    return tree_cached("activity-index-page", ActivityIndexPage.objects.live().first)


def activity_places(*, activity: ActivityPage) -> dict:
    """Places taken and left and the waitlist's length, in one query."""
    counts = SignUp.objects.filter(activity=activity).aggregate(
        taken=Count("pk", filter=Q(state__in=SignUp.HOLDING_STATES)),
        waitlisted=Count("pk", filter=Q(state=SignUp.State.WAITLISTED)),
    )
    return {
        "places_taken": counts["taken"],
        "places_left": max(activity.capacity - counts["taken"], 0),
        "waitlist_length": counts["waitlisted"],
    }


def activity_page_context(*, activity: ActivityPage, user) -> dict:
    """What the activity page shows for `user`: places, whether they may sign up (and why not),
    their own sign-up with the actions open to them, and overlapping activities."""
    from django.conf import settings

    saved = activity.pk is not None  # a preview of a page being created is not saved yet
    places = activity_places(activity=activity) if saved else _no_places(activity)
    activity.places_taken = places["places_taken"]
    activity.waitlist_length = places["waitlist_length"]
    member = member_of(user)
    signup = member_signup_for(member=member, activity=activity) if saved else None
    refusal = signup_refusal(activity=activity, member=member)
    can_cancel = signup is not None and any(
        t.name == "cancel" for t in SIGNUP_WORKFLOW.available(signup, user)
    )
    community = activity.community
    return {
        **places,
        "community": community,
        "member": member,
        "signup": signup,
        "signup_refusal": refusal,
        "can_sign_up": refusal is None
        and (signup is None or signup.state == SignUp.State.CANCELLED),
        "login_to_sign_up": refusal is errors.SIGNUP_NOT_A_MEMBER
        and not getattr(user, "is_authenticated", False),
        "login_url": settings.LOGIN_URL,
        "can_cancel": can_cancel,
        "cancel_closed": signup is not None
        and not can_cancel
        and SIGNUP_WORKFLOW.by_name["cancel"].starts_from(signup.state),
        "waitlist_position": waitlist_position(signup=signup),
        "overlapping_signups": member_overlapping_signups(member=member, activity=activity)
        if saved
        else [],
        "skills": list(activity.skills.all()),
        "is_community_staff": is_staff_of(user, community.pk),
    }


def _no_places(activity: ActivityPage) -> dict:
    return {"places_taken": 0, "places_left": activity.capacity or 0, "waitlist_length": 0}


def month_weeks(*, year: int, month: int) -> list[list[datetime.date]]:
    """The weeks (Monday first) that show month `month` of `year`, as lists of dates."""
    return calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)


CALENDAR_DAY_LIMIT = 3  # activities shown in one day of the month calendar; "+N" for the rest


@dataclass
class CalendarDay:
    """A day of the month calendar: its first activities and how many more it has."""

    activities: list[ActivityPage]
    more: int = 0


def activities_by_day(
    *,
    year: int,
    month: int,
    county: CountyPage | None = None,
    community: CommunityPage | None = None,
    member: Member | None = None,
    per_day: int = CALENDAR_DAY_LIMIT,
) -> dict[datetime.date, CalendarDay]:
    """Live activities on the calendar's days for that month, by (local) day: the first
    `per_day` of each day, with `member`'s own state (`own_state`, as the listing), and how
    many more. An activity spanning several days is counted on each of them. Two queries:
    each day's first activities and count, ranked in the database (`portal.day_spans`: at
    most `per_day` rows a day), then the shown activities only, so neither what is read nor
    what is rendered grows with the city."""
    weeks = month_weeks(year=year, month=month)
    first, last = weeks[0][0], weeks[-1][-1]
    qs = public_activities_one_query().filter(
        starts_at__lt=start_of_day(last + datetime.timedelta(days=1)),
        ends_at__gt=start_of_day(first),
    )
    if community is not None:
        qs = qs.child_of(community)
    elif county is not None:
        qs = qs.descendant_of(county)
    by_day = first_rows_by_day(
        qs,
        days=[day for week in weeks for day in week],
        start="starts_at",
        end="ends_at",
        per_day=per_day,
    )
    shown = {pk for rows in by_day.values() for pk in rows.ids}
    # Already found public above: no second read of the view restrictions.
    found = with_own_state(ActivityPage.objects.filter(pk__in=shown), member).in_bulk()
    return {
        day: CalendarDay([found[pk] for pk in rows.ids if pk in found], rows.total - len(rows.ids))
        for day, rows in by_day.items()
    }
