"""Sign-ups to activities: places are never oversold.

Every write that changes how many places are held locks the activity's row first
(`SELECT … FOR UPDATE` on PostgreSQL; SQLite runs write transactions one at a time, see
`transaction_mode` in settings), counts the held places, and only then decides."""

from collections.abc import Callable

from django.db import router, transaction
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr
from django.utils import timezone
from wagtail.models import Page

from portal.prepared import Prepared
from volunteering import errors
from volunteering.people.models import Member
from volunteering.signups import one_statement
from volunteering.signups.models import SignUp
from volunteering.signups.selectors import (
    activity_hours,
    signup_refusal,
    signups_due_for_reminder,
)
from volunteering.signups.signals import attendance_corrected
from volunteering.signups.workflows import CHECKIN_MARGIN, SIGNUP_WORKFLOW
from volunteering.tasks import notify
from workflows.statemachine import record_actor

# Stand-ins for the values of the prepared statements below (`portal.prepared`): found nowhere
# else in their parameters.
_ACTIVITY, _MEMBER = 2_000_000_011, 2_000_000_013


def _with_parent(queryset: QuerySet, pk: int) -> QuerySet:
    """`queryset`'s activity `pk` with `parent_page_id` (its community, the workflow's scope) in
    the same query."""
    parent = Page.objects.filter(
        path=Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * Page.steplen)
    ).values("pk")[:1]
    return queryset.annotate(parent_page_id=Subquery(parent)).filter(pk=pk)


def _locking(queryset: QuerySet, pk: int) -> QuerySet:
    """`queryset`'s activity `pk` under its row lock, with `parent_page_id`."""
    return _with_parent(queryset.select_for_update(of=("self",)), pk)


# One prepared statement per function giving the activities a caller may sign up to.
_PREPARED_FINDS: dict[Callable[[], QuerySet], Prepared] = {}

# The activity's row lock, and what decides whether and how a sign-up is taken, read under it:
# the same row `_locking` locks, in a statement that returns a few values instead of a page.
# Read again under the lock because staff may close sign-ups, unpublish the activity or change
# its places while a crowd is signing up: a sign-up that read the page before such a change and
# took the lock after it must see the change.
LOCKED_FIELDS = (
    "capacity",
    "needs_approval",
    "live",
    "starts_at",
    "signup_opens_at",
    "signup_closes_at",
    "team_id",
)
_LOCK_PLACES = Prepared(
    lambda pk: (
        SignUp._meta.get_field("activity")
        .related_model.objects.select_for_update(of=("self",))
        .filter(pk=pk)
        .order_by()  # the pages' tree order would sort by path for nothing
        .values(*LOCKED_FIELDS)
    ),
    pk=_ACTIVITY,
)


def _lock_activity(activity: Page | int, among: Callable[[], QuerySet] | None = None) -> Page:
    """The activity (a page or its id), re-read under its row lock, with `parent_page_id`. With
    `among` (a function giving a queryset of activities), only an activity of that queryset is
    found (else its model's DoesNotExist), by statements compiled once per process: the API's
    sign-up at crowd speed (issue 11) spent more Python building this query than running it."""
    # The activity's page class, found through the relation (activities sit above sign-ups).
    activity_model = SignUp._meta.get_field("activity").related_model
    pk = activity if isinstance(activity, int) else activity.pk
    if among is None:
        return _locking(activity_model.objects.all(), pk).get()
    activity = _find(pk, among)
    _lock_found(activity)
    return activity


def _find(pk: int, among: Callable[[], QuerySet]) -> Page:
    """The activity `pk` among those `among` gives, with `parent_page_id`, not locked: read
    first, then locked by a second statement that reads again only what decides the sign-up
    (`LOCKED_FIELDS`, `_lock_found`). Every sign-up to the activity waits for this lock, and
    building a page of some sixty columns while holding it made a crowd of sign-ups to one
    activity wait for each other's Python (the lock is held to the commit)."""
    if among not in _PREPARED_FINDS:
        _PREPARED_FINDS[among] = Prepared(lambda pk: _with_parent(among(), pk)[:1], pk=_ACTIVITY)
    found = _PREPARED_FINDS[among].rows(pk=pk)
    if not found:  # not one of `among`
        raise SignUp._meta.get_field("activity").related_model.DoesNotExist
    return found[0]


def _lock_found(activity: Page) -> bool:
    """Lock the activity `_find` read and read `LOCKED_FIELDS` again under the lock, onto the
    page; whether any of them changed since it was read."""
    locked = _LOCK_PLACES.one(pk=activity.pk)
    if locked is None:  # deleted since
        raise type(activity).DoesNotExist
    changed = False
    for name in LOCKED_FIELDS:
        changed = changed or getattr(activity, name) != locked[name]
        setattr(activity, name, locked[name])
    return changed


# The places held and the member's own sign-up (the latest) in one statement, read under the
# activity's lock; no row when the activity has no sign-up yet.
_HELD_AND_OWN = Prepared(
    lambda activity, member: (
        SignUp.objects.filter(activity_id=activity)
        .values("activity_id")
        .annotate(
            held=Count("pk", filter=Q(state__in=SignUp.HOLDING_STATES)),
            own=Max("pk", filter=Q(member_id=member)),
        )
        .values("held", "own")
    ),
    activity=_ACTIVITY,
    member=_MEMBER,
)


def places_held(activity: Page) -> int:
    return SignUp.objects.filter(activity=activity, state__in=SignUp.HOLDING_STATES).count()


@transaction.atomic
def signup_create(
    *, activity: Page | int, member: Member, among: Callable[[], QuerySet] | None = None
) -> tuple[SignUp, bool]:
    """Sign `member` up; returns (sign-up, created). A second attempt returns the existing
    sign-up; one cancelled earlier is revived, at the back of the queue. `activity` may be an
    id, looked up (and locked) `among` the activities the caller may sign up to (a function
    giving their queryset): the API finds a public activity, then locks it (DoesNotExist when
    it is not one). On PostgreSQL a new sign-up found that way is written in one statement
    under the lock (`one_statement`), prepared before it."""
    if among is None:
        return _signup_create_locked(_lock_activity(activity), member)
    activity = _find(activity if isinstance(activity, int) else activity.pk, among)
    planned = _plan(activity, member)
    changed = _lock_found(activity)
    if planned is not None and not changed:
        taken = one_statement.take(planned, capacity=activity.capacity, queued_at=timezone.now())
        if taken is not None:
            _notify_new(taken.signup, taken.transition.target)
            return taken.signup, True
    return _signup_create_locked(activity, member)


def _plan(activity: Page, member: Member) -> one_statement.Plan | None:
    """The new sign-up prepared for the one statement, or None where the ORM's path decides
    (SQLite, an activity for a team's members, a sign-up refused: its reasons are then given
    as they are read under the lock)."""
    using = router.db_for_write(SignUp)
    if not one_statement.applies(using) or activity.team_id is not None:
        return None
    if signup_refusal(activity=activity, member=member) is not None:
        return None
    target = SignUp.State.PENDING if activity.needs_approval else SignUp.State.APPROVED
    return one_statement.plan(activity=activity, member=member, target=target, using=using)


def _signup_create_locked(activity: Page, member: Member) -> tuple[SignUp, bool]:
    """`signup_create` by the ORM, the activity locked."""
    # The places held and the member's own sign-up in one query, read under the lock.
    counts = _HELD_AND_OWN.one(activity=activity.pk, member=member.pk) or {"held": 0, "own": None}
    existing = SignUp.objects.get(pk=counts["own"]) if counts["own"] else None
    if existing:
        existing.activity, existing.member = activity, member
    if existing and existing.state != SignUp.State.CANCELLED:
        return existing, False
    problem = signup_refusal(activity=activity, member=member)
    if problem:
        raise errors.ServiceError(problem)
    target = _state_for_new_signup(activity, held=counts["held"])
    if existing:
        existing.queued_at = timezone.now()
        SIGNUP_WORKFLOW.perform(existing, f"resubmit_{target}", by=member.user)
        signup, created = existing, False
    else:
        signup = SignUp(activity=activity, member=member, queued_at=timezone.now())
        SIGNUP_WORKFLOW.start(signup, f"submit_{target}", by=member.user)
        created = True
    _notify_new(signup, target)
    return signup, created


def _notify_new(signup: SignUp, target: str) -> None:
    if target == SignUp.State.WAITLISTED:
        notify("signup_waitlisted", signup)
    elif target == SignUp.State.APPROVED:
        notify("signup_approved", signup)


def _state_for_new_signup(activity: Page, *, held: int) -> str:
    if held >= activity.capacity:
        return SignUp.State.WAITLISTED
    return SignUp.State.PENDING if activity.needs_approval else SignUp.State.APPROVED


def _promote_waitlisted(activity: Page) -> SignUp | None:
    """Fill free places from the waitlist, first come first served. Caller holds the lock."""
    promoted = None
    while places_held(activity) < activity.capacity:
        first = (
            SignUp.objects.filter(activity=activity, state=SignUp.State.WAITLISTED)
            .select_related("member__user")
            .order_by("queued_at", "pk")
            .first()
        )
        if first is None:
            break
        name = "promote_pending" if activity.needs_approval else "promote"
        SIGNUP_WORKFLOW.perform(first, name, by=None)
        notify("signup_promoted", first)
        promoted = promoted or first
    return promoted


def _perform_and_refill(signup: SignUp, name: str, *, by, reason: str = "") -> SignUp:
    activity = _lock_activity(signup.activity)
    signup = SignUp.objects.select_related("member__user", "activity").get(pk=signup.pk)
    SIGNUP_WORKFLOW.perform(signup, name, by=by, reason=reason)
    _promote_waitlisted(activity)
    return signup


@transaction.atomic
def signup_cancel(*, signup: SignUp, by, reason: str = "") -> SignUp:
    """The member cancels (until the deadline); the first waitlisted member moves up."""
    return _perform_and_refill(signup, "cancel", by=by, reason=reason)


@transaction.atomic
def signup_cancel_for_closure(*, signup: SignUp, by, reason) -> SignUp:
    """The member's account is being closed (`volunteering.privacy`): the sign-up is cancelled
    whatever the deadline, and the place freed as by a cancellation (the first waitlisted
    member moves up)."""
    return _perform_and_refill(signup, "close_account", by=by, reason=reason)


@transaction.atomic
def signup_reject(*, signup: SignUp, by, reason: str) -> SignUp:
    signup = _perform_and_refill(signup, "reject", by=by, reason=reason)
    notify("signup_rejected", signup, reason=reason)
    return signup


@transaction.atomic
def signup_approve(*, signup: SignUp, by, note: str = "") -> SignUp:
    _lock_activity(signup.activity)
    signup = SignUp.objects.select_related("activity").get(pk=signup.pk)
    SIGNUP_WORKFLOW.perform(signup, "approve", by=by, reason=note)
    notify("signup_approved", signup)
    return signup


@transaction.atomic
def signup_check_in(*, activity: Page, member: Member, code: str, now=None) -> SignUp:
    """The member scans the activity's QR code at the venue (valid around its time). The
    check-in records the activity's length as the hours served (the transition's effect):
    staff may correct them later."""
    now = now or timezone.now()
    if code != activity.checkin_code:
        raise errors.ServiceError(errors.CHECKIN_WRONG_CODE, code="invalid")
    if not (activity.starts_at - CHECKIN_MARGIN <= now <= activity.ends_at + CHECKIN_MARGIN):
        raise errors.ServiceError(errors.CHECKIN_OUTSIDE_WINDOW)
    signup = SignUp.objects.select_for_update().filter(activity=activity, member=member).first()
    if signup is None or signup.state not in (SignUp.State.APPROVED, SignUp.State.ATTENDED):
        raise errors.ServiceError(errors.CHECKIN_NOT_APPROVED)
    if signup.state == SignUp.State.APPROVED:
        SIGNUP_WORKFLOW.perform(signup, "check_in", by=member.user)
    return signup


@transaction.atomic
def signup_mark_attendance(*, signup: SignUp, by, attended: bool, hours=None) -> SignUp:
    """Staff mark attendance and hours by hand; this is the member's work record (工作记实).
    The history shows the hours as a changed field (old → new); no reason is made up for it."""
    signup = SignUp.objects.select_for_update().select_related("activity").get(pk=signup.pk)
    target = SignUp.State.ATTENDED if attended else SignUp.State.NO_SHOW
    signup.hours = (
        (hours if hours is not None else activity_hours(signup.activity)) if attended else None
    )
    if signup.state != target:
        name = "mark_attended" if attended else "mark_no_show"
        SIGNUP_WORKFLOW.perform(signup, name, by=by)
    else:
        record_actor(signup, by=by)
        signup.full_clean()
        signup.save()
        attendance_corrected.send(sender=SignUp, instance=signup, by=by)  # hours may have changed
    return signup


def signup_reminders_send(*, now=None) -> int:
    """Queue the day-before reminder for each approved sign-up of an activity starting
    tomorrow; each sign-up is reminded once, however often (or concurrently) this runs."""
    now = now or timezone.now()
    due = list(signups_due_for_reminder(now=now).values_list("pk", flat=True))
    return sum(_remind(pk=pk, now=now) for pk in due)


@transaction.atomic
def _remind(*, pk: int, now) -> bool:
    # A conditional UPDATE claims the reminder: a second run (or a parallel one) finds it taken.
    claimed = SignUp.objects.filter(
        pk=pk, reminded_at__isnull=True, state=SignUp.State.APPROVED
    ).update(reminded_at=now)
    if claimed:
        notify("signup_reminder", SignUp(pk=pk))
    return bool(claimed)
