"""The service menu (服务菜单: 社区所需, 党员所长): needs and claims (认领), and post pledges
(领岗承诺); teams (服务队) are in `volunteering.teams.services`.

Every state change goes through the workflows in `volunteering.menu.workflows`; writes that count
(places of a need, a member's live requests) lock the row they count against first."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from volunteering import errors
from volunteering.communities.models import CommunityPage
from volunteering.errors import workflow_start_once
from volunteering.menu.models import Need, NeedClaim, Post, PostPledge
from volunteering.menu.workflows import CLAIM_WORKFLOW, NEED_WORKFLOW, PLEDGE_WORKFLOW
from volunteering.people.models import Member
from volunteering.people.services import member_lock
from volunteering.scopes import is_staff_of

# States of a claim that hold one of the need's places.
PLACE_HOLDING_CLAIM_STATES = (NeedClaim.State.CONFIRMED, NeedClaim.State.DONE)


ACTIVE_PLEDGE_STATES = (PostPledge.State.PENDING, PostPledge.State.ACCEPTED)


PLEDGE_MAX_DAYS = 366


PLEDGE_COMMITMENT_LIMIT = PostPledge._meta.get_field("commitment").max_length


@transaction.atomic
def need_create(
    *,
    community: CommunityPage,
    title: str,
    by,
    description: str = "",
    skills=(),
    places: int = 1,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Need:
    """Community staff publish a need on their service menu."""
    if not is_staff_of(by, community.pk):
        raise PermissionDenied(errors.NOT_STAFF_OF_COMMUNITY)
    if places < 1:
        raise errors.ServiceError(errors.NEED_PLACES_INVALID, code="invalid")
    if starts_on and ends_on and ends_on < starts_on:
        raise errors.ServiceError(errors.NEED_PERIOD_INVALID, code="invalid")
    need = Need(
        community=community,
        title=title.strip(),
        description=description.strip(),
        places=places,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    NEED_WORKFLOW.start(need, "publish", by=by)
    need.skills.set(skills)
    return need


@transaction.atomic
def need_close(*, need: Need, by, reason: str = "") -> Need:
    need = Need.objects.select_for_update().get(pk=need.pk)
    return NEED_WORKFLOW.perform(need, "close", by=by, reason=reason)


def _lock_need(need: Need) -> Need:
    return Need.objects.select_for_update(of=("self",)).select_related("community").get(pk=need.pk)


def places_taken(need: Need) -> int:
    return need.claims.filter(state__in=PLACE_HOLDING_CLAIM_STATES).count()


def claim_refusal(*, need: Need, member: Member, today: datetime.date | None = None):
    """Why `member` cannot claim `need` now (a message), or None."""
    today = today or timezone.localdate()
    if need.state != Need.State.OPEN or not need.community.live:
        return errors.NEED_NOT_OPEN
    if need.ends_on and need.ends_on < today:
        return errors.NEED_ENDED
    if need.claims.filter(member=member, state__in=NeedClaim.ACTIVE_STATES).exists():
        return errors.NEED_ALREADY_CLAIMED
    if places_taken(need) >= need.places:
        return errors.NEED_FULL % {"places": need.places}
    return None


@transaction.atomic
def claim_create(*, need: Need, member: Member) -> NeedClaim:
    """A member claims a need: once per need while the claim is live."""
    need = _lock_need(need)
    problem = claim_refusal(need=need, member=member)
    if problem:
        raise errors.ServiceError(problem)
    claim = NeedClaim(need=need, member=member)
    workflow_start_once(
        CLAIM_WORKFLOW,
        claim,
        "claim",
        by=member.user,
        duplicate_message=errors.NEED_ALREADY_CLAIMED,
    )
    return claim


def _locked_claim(claim: NeedClaim) -> tuple[Need, NeedClaim]:
    need = _lock_need(claim.need)
    claim = (
        NeedClaim.objects.select_for_update(of=("self",)).select_related("member").get(pk=claim.pk)
    )
    claim.need = need
    return need, claim


@transaction.atomic
def claim_confirm(*, claim: NeedClaim, by, note: str = "") -> NeedClaim:
    """Staff confirm a claim; a need whose places are all confirmed refuses further ones."""
    need, claim = _locked_claim(claim)
    CLAIM_WORKFLOW.check(claim, "confirm", by=by, reason=note)
    if places_taken(need) >= need.places:
        raise errors.ServiceError(errors.NEED_FULL % {"places": need.places})
    return CLAIM_WORKFLOW.perform(claim, "confirm", by=by, reason=note)


@transaction.atomic
def claim_decline(*, claim: NeedClaim, by, reason: str) -> NeedClaim:
    _need, claim = _locked_claim(claim)
    return CLAIM_WORKFLOW.perform(claim, "decline", by=by, reason=reason)


@transaction.atomic
def claim_withdraw(*, claim: NeedClaim, by, reason: str = "") -> NeedClaim:
    _need, claim = _locked_claim(claim)
    return CLAIM_WORKFLOW.perform(claim, "withdraw", by=by, reason=reason)


@transaction.atomic
def claim_complete(*, claim: NeedClaim, by, outcome: str) -> NeedClaim:
    """Staff record the outcome (服务结果) of a confirmed claim; the outcome is required."""
    _need, claim = _locked_claim(claim)
    CLAIM_WORKFLOW.check(claim, "complete", by=by, reason=outcome)
    claim.outcome = outcome.strip()
    return CLAIM_WORKFLOW.perform(claim, "complete", by=by, reason=outcome)


def pledge_problems(
    *,
    commitment: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    today: datetime.date | None = None,
) -> list:
    """What is wrong with a pledge's commitment and period (messages; empty when valid)."""
    today = today or timezone.localdate()
    problems = []
    text = (commitment or "").strip()
    if not text:
        problems.append(errors.PLEDGE_COMMITMENT_REQUIRED)
    elif len(text) > PLEDGE_COMMITMENT_LIMIT:
        problems.append(errors.PLEDGE_COMMITMENT_TOO_LONG % {"limit": PLEDGE_COMMITMENT_LIMIT})
    if starts_on < today:
        problems.append(errors.PLEDGE_STARTS_IN_PAST)
    if ends_on < starts_on:
        problems.append(errors.PLEDGE_PERIOD_INVALID)
    elif (ends_on - starts_on).days >= PLEDGE_MAX_DAYS:
        problems.append(errors.PLEDGE_PERIOD_TOO_LONG)
    return problems


@transaction.atomic
def pledge_create(
    *,
    post: Post,
    member: Member,
    commitment: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> PostPledge:
    """A member pledges to a post for a period with a written commitment; staff accept it."""
    problems = pledge_problems(commitment=commitment, starts_on=starts_on, ends_on=ends_on)
    if problems:
        raise errors.ServiceError(problems[0], code="invalid")
    member_lock(member)
    if PostPledge.objects.filter(post=post, member=member, state__in=ACTIVE_PLEDGE_STATES).exists():
        raise errors.ServiceError(errors.PLEDGE_DUPLICATE)
    pledge = PostPledge(
        post=post,
        member=member,
        commitment=commitment.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    workflow_start_once(
        PLEDGE_WORKFLOW, pledge, "pledge", by=member.user, duplicate_message=errors.PLEDGE_DUPLICATE
    )
    return pledge


def _locked_pledge(pledge: PostPledge) -> PostPledge:
    return (
        PostPledge.objects.select_for_update(of=("self",))
        .select_related("post", "member")
        .get(pk=pledge.pk)
    )


@transaction.atomic
def pledge_accept(*, pledge: PostPledge, by, note: str = "") -> PostPledge:
    return PLEDGE_WORKFLOW.perform(_locked_pledge(pledge), "accept", by=by, reason=note)


@transaction.atomic
def pledge_decline(*, pledge: PostPledge, by, reason: str) -> PostPledge:
    return PLEDGE_WORKFLOW.perform(_locked_pledge(pledge), "decline", by=by, reason=reason)


@transaction.atomic
def pledge_withdraw(*, pledge: PostPledge, by, reason: str = "") -> PostPledge:
    return PLEDGE_WORKFLOW.perform(_locked_pledge(pledge), "withdraw", by=by, reason=reason)


@transaction.atomic
def pledge_fulfil(*, pledge: PostPledge, by, note: str = "") -> PostPledge:
    return PLEDGE_WORKFLOW.perform(_locked_pledge(pledge), "fulfil", by=by, reason=note)
