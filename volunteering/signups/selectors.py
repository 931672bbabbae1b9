"""Reads about sign-ups: a member's sign-up to an activity and those overlapping it, a waitlist
position, the reminders due, why a member cannot sign up now, and what cancelling costs."""

import datetime
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from volunteering import errors
from volunteering.people.models import Member
from volunteering.signups.models import SignUp

# What cancelling does, said before the member confirms (by the sign-up's state).
CANCEL_GIVES_PLACE_AWAY = _("您的名额会立即转给候补名单上的下一位，取消后不能恢复。")
CANCEL_FREES_PLACE = _("您的名额会空出来给其他人；再报名时如已满员，只能排进候补名单。")
CANCEL_LEAVES_WAITLIST = _("您会离开候补名单；再报名要重新排在最后。")
CANCEL_WITHDRAWS_REQUEST = _("您的报名申请会撤回，社区不再审核。")


def activity_hours(activity: Page) -> Decimal:
    """The length of `activity` in hours, to one decimal: the hours a check-in records (and
    staff's default when they mark attendance without giving hours)."""
    seconds = (activity.ends_at - activity.starts_at).total_seconds()
    return Decimal(str(round(seconds / 3600, 1)))


def signup_hours(signup: SignUp) -> Decimal:
    """The hours `signup` counts for: its stored hours when attended, else none (0). Hours are
    stored when attendance is recorded (check-in or staff), so every page, export, figure and
    the assessment read this one value (docs/hours.md)."""
    if signup.state != SignUp.State.ATTENDED or signup.hours is None:
        return Decimal(0)
    return Decimal(signup.hours)


def member_signup_for(*, member: Member | None, activity: Page) -> SignUp | None:
    if member is None:
        return None
    signup = SignUp.objects.filter(member=member, activity=activity).first()
    if signup is not None:
        signup.activity = activity
        signup.member = member
    return signup


def member_overlapping_signups(*, member: Member | None, activity: Page) -> list[SignUp]:
    """The member's sign-ups holding a place in other live activities at overlapping times."""
    if member is None:
        return []
    return list(
        SignUp.objects.filter(
            member=member,
            state__in=SignUp.HOLDING_STATES,
            activity__live=True,
            activity__starts_at__lt=activity.ends_at,
            activity__ends_at__gt=activity.starts_at,
        )
        .exclude(activity=activity)
        .select_related("activity")
        .order_by("activity__starts_at")
    )


def waitlist_position(*, signup: SignUp | None) -> int | None:
    """1 for the first in the waitlist (who is promoted first), or None if not waitlisted."""
    if signup is None or signup.state != SignUp.State.WAITLISTED:
        return None
    ahead = SignUp.objects.filter(
        activity_id=signup.activity_id, state=SignUp.State.WAITLISTED
    ).filter(Q(queued_at__lt=signup.queued_at) | Q(queued_at=signup.queued_at, pk__lt=signup.pk))
    return ahead.count() + 1


def signups_due_for_reminder(*, now: datetime.datetime | None = None) -> QuerySet[SignUp]:
    """Approved sign-ups, not yet reminded, of live activities starting tomorrow (local day)."""
    tomorrow = timezone.localdate(now or timezone.now()) + datetime.timedelta(days=1)
    return SignUp.objects.filter(
        state=SignUp.State.APPROVED,
        reminded_at__isnull=True,
        activity__live=True,
        activity__starts_at__gte=start_of_day(tomorrow),
        activity__starts_at__lt=start_of_day(tomorrow + datetime.timedelta(days=1)),
    ).order_by("pk")


def signup_refusal(*, activity: Page, member: Member | None, now=None):
    """The message saying why `member` cannot sign up to `activity` now, or None."""
    now = now or timezone.now()
    # Reasons about the activity come first, so a visitor who is not signed in learns them too.
    if not activity.live:
        return errors.SIGNUP_ACTIVITY_NOT_LIVE
    if now >= activity.starts_at:
        return errors.SIGNUP_ACTIVITY_STARTED
    if activity.signup_opens_at and now < activity.signup_opens_at:
        return errors.SIGNUP_NOT_OPEN_YET
    if activity.signup_closes_at and now >= activity.signup_closes_at:
        return errors.SIGNUP_CLOSED
    if member is None:
        return errors.SIGNUP_NOT_A_MEMBER
    if (
        activity.team_id
        and not activity.team.memberships.filter(member=member, state="approved").exists()
    ):
        return errors.SIGNUP_TEAM_ONLY % {"team": activity.team.name}
    return None


def cancel_consequence(*, signup: SignUp, waitlist_length: int) -> str:
    """What the member loses by cancelling, in one sentence."""
    if signup.state == SignUp.State.WAITLISTED:
        return str(CANCEL_LEAVES_WAITLIST)
    if signup.state == SignUp.State.PENDING:
        return str(CANCEL_WITHDRAWS_REQUEST)
    return str(CANCEL_GIVES_PLACE_AWAY if waitlist_length else CANCEL_FREES_PLACE)


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Local midnight at the start of `day`, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
