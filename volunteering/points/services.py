"""Writing the points ledger (奉献积分): awards when work is done, reversals when a decision is
changed, and corrections by staff.

Awards follow the workflows: a receiver of `workflows.statemachine.transitioned` settles the
points of the object that moved (a sign-up attended or missed, a pledge fulfilled, a resident's
request resolved). Settling is idempotent: for each (source, rule key, member) it compares what
the ledger holds (the net of its entries) with what the object's state calls for, and writes
only the difference — an award the first time, a correction after. A replayed transition writes
nothing; an award already made is never re-priced when the rules change."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy

from volunteering.communities.models import CommunityPage
from volunteering.menu.models import PostPledge
from volunteering.people.models import Member
from volunteering.points.models import PointEntry, PointRule
from volunteering.scopes import is_staff_of
from volunteering.signups.models import SignUp
from volunteering.signups.selectors import signup_hours
from volunteering.teams.models import TeamMembership
from volunteering.voice.models import Feedback

CORRECTION_NEEDS_REASON = gettext_lazy("更正积分需要写明原因。")
CORRECTION_NOT_ZERO = gettext_lazy("更正的积分不能为 0。")
ONE_PLACE = Decimal("0.1")
Key = PointRule.Key


def rule_in_force(*, key: str, on: datetime.date) -> PointRule | None:
    """The rule for `key` on day `on`: the one with the latest `valid_from` not after it."""
    return PointRule.objects.filter(key=key, valid_from__lte=on).order_by("-valid_from").first()


def _day_of(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def _net(*, source, key: str, member_id: int) -> tuple[Decimal, PointEntry | None]:
    """What the ledger holds for this source, key and member, and its latest entry."""
    entries = PointEntry.objects.filter(
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        rule_key=key,
        member_id=member_id,
    )
    net = entries.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return net, entries.order_by("-pk").first()


def _settle(
    *,
    source,
    community,
    member: Member,
    key: str,
    wanted: bool,
    per_unit=1,
    rescale: bool = False,
    earned_at,
    reason: tuple[str, dict],
    by,
    correction_reason: tuple[str, dict] | None = None,
):
    """Make the ledger agree with `wanted` for (source, key, member): add the award (amount of
    the rule in force on the day of the deed × `per_unit`), or take it back, or do nothing.
    With `rescale`, a changed `per_unit` (hours corrected) adds the difference at the rate of the
    rule already applied, with `correction_reason` (the entry's kind already says "更正": the
    reason says what changed, without repeating the word)."""
    net, last = _net(source=source, key=key, member_id=member.pk)
    if wanted and net == 0:
        rule = rule_in_force(key=key, on=_day_of(earned_at))
        amount = (rule.amount * Decimal(per_unit)).quantize(ONE_PLACE, ROUND_HALF_UP) if rule else 0
        if not amount:
            return None
        kind = PointEntry.Kind.CORRECTION if last else PointEntry.Kind.AWARD
        return _write(source, community, member, key, rule, amount, kind, earned_at, reason, by)
    if wanted and net != 0 and rescale and last.rule:
        # The hours were corrected: the difference, at the rate of the rule already applied.
        amount = (last.rule.amount * Decimal(per_unit)).quantize(ONE_PLACE, ROUND_HALF_UP) - net
        if not amount:
            return None
        kind = PointEntry.Kind.CORRECTION
        reason = correction_reason or reason
        return _write(
            source, community, member, key, last.rule, amount, kind, last.earned_at, reason, by
        )
    if not wanted and net != 0:
        reason = (
            "reversed",
            {"code": last.reason_code, "params": last.reason_params, "words": last.reason},
        )
        kind = PointEntry.Kind.CORRECTION
        return _write(
            source, community, member, key, last.rule, -net, kind, last.earned_at, reason, by
        )
    return None


def _write(source, community, member, key, rule, amount, kind, earned_at, reason, by):
    entry = PointEntry(
        member=member,
        community=community,
        amount=amount,
        kind=kind,
        rule=rule,
        rule_key=key,
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        reason_code=reason[0],
        reason_params=reason[1],
        earned_at=earned_at,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    entry.full_clean(validate_constraints=False)
    entry.save()
    return entry


@transaction.atomic
def signup_points_settle(*, signup: SignUp, by=None) -> None:
    """Attended: points per hour; a no-show: the deduction; each takes the other back."""
    activity = signup.activity
    community = activity.community
    hours = signup_hours(signup)
    title = activity.title
    attended = ("attended", {"title": title, "hours": f"{hours.normalize():f}"})
    missed = ("no_show", {"title": title})
    hours_changed = ("hours_changed", {"title": title, "hours": f"{hours.normalize():f}"})
    common = {"source": signup, "community": community, "member": signup.member, "by": by}
    state = signup.state
    # Take back first, then award: the ledger reads in the order things happened.
    for key, wanted, units, reason in sorted(
        [
            (Key.HOURS_ATTENDED, state == SignUp.State.ATTENDED, hours, attended),
            (Key.NO_SHOW, state == SignUp.State.NO_SHOW, 1, missed),
        ],
        key=lambda row: row[1],
    ):
        _settle(
            key=key,
            wanted=wanted,
            per_unit=units,
            rescale=key == Key.HOURS_ATTENDED,
            earned_at=activity.starts_at,
            reason=reason,
            correction_reason=hours_changed if key == Key.HOURS_ATTENDED else None,
            **common,
        )


@transaction.atomic
def pledge_points_settle(*, pledge: PostPledge, by=None) -> None:
    post = pledge.post
    reason = ("pledge_fulfilled", {"post": post.title})
    _settle(
        source=pledge,
        community=post.community,
        member=pledge.member,
        key=Key.PLEDGE_FULFILLED,
        wanted=pledge.state == PostPledge.State.FULFILLED,
        earned_at=pledge.state_changed_at or timezone.now(),
        reason=reason,
        by=by,
    )


def feedback_point_members(feedback: Feedback) -> list[Member]:
    """Who earns the points of a resolved request: the assigned member, or else the approved
    members of the assigned team."""
    if feedback.assigned_member_id:
        return [feedback.assigned_member]
    if feedback.assigned_team_id:
        return [
            m.member
            for m in TeamMembership.objects.filter(
                team_id=feedback.assigned_team_id, state=TeamMembership.State.APPROVED
            ).select_related("member")
        ]
    return []


@transaction.atomic
def feedback_points_settle(*, feedback: Feedback, by=None) -> None:
    resolved = (
        feedback.state == Feedback.State.CLOSED and feedback.outcome == Feedback.Outcome.RESOLVED
    )
    earners = {m.pk: m for m in feedback_point_members(feedback)} if resolved else {}
    # Members who hold points for this item (e.g. before it was reopened) are settled too.
    holders = PointEntry.objects.filter(
        source_type=ContentType.objects.get_for_model(Feedback),
        source_id=feedback.pk,
        rule_key=Key.FEEDBACK_RESOLVED,
    ).values_list("member_id", flat=True)
    people = {**{m.pk: m for m in Member.objects.filter(pk__in=holders)}, **earners}
    reason = ("feedback_resolved", {"kind": feedback.kind})
    for member in people.values():
        _settle(
            source=feedback,
            community=feedback.community,
            member=member,
            key=Key.FEEDBACK_RESOLVED,
            wanted=member.pk in earners,
            earned_at=feedback.closed_at or timezone.now(),
            reason=reason,
            by=by,
        )


@transaction.atomic
def point_correction_create(
    *, member: Member, community: CommunityPage, amount: Decimal, reason: str, by
) -> PointEntry:
    """A manual correction (人工更正) by staff of `community` or the city: a new entry, never an
    edit of an old one."""
    if not is_staff_of(by, community.pk):
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError({"reason": CORRECTION_NEEDS_REASON})
    if not amount:
        raise ValidationError({"amount": CORRECTION_NOT_ZERO})
    entry = PointEntry(
        member=member,
        community=community,
        amount=amount,
        kind=PointEntry.Kind.CORRECTION,
        rule_key=PointEntry.MANUAL_KEY,
        reason=reason.strip(),
        created_by=by,
    )
    entry.full_clean()
    entry.save()
    return entry
