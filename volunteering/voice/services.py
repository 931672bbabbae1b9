"""Residents' voice (听取群众意见建议): submitting, recording, triaging, assigning and closing
what residents ask; recording good deeds (办好事实事); and the flood limit of the public form.

Every state change goes through `FEEDBACK_WORKFLOW` (who may, from which state, reasons,
history and audit log); these functions add what the workflow cannot know: which member or team
may be assigned, and locking the row while it changes."""

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.ratelimit import Limit
from volunteering import errors
from volunteering.communities.models import CommunityPage
from volunteering.people.models import Member
from volunteering.reporting.models import Report
from volunteering.scopes import is_staff_of
from volunteering.teams.models import Team
from volunteering.voice.models import Feedback, GoodDeed, new_receipt_code
from volunteering.voice.signals import feedback_submitted
from volunteering.voice.workflows import FEEDBACK_WORKFLOW

FEEDBACK_COMMUNITY_NOT_LIVE = _("这个社区暂不接收网上留言，请直接联系社区。")
FEEDBACK_NO_ASSIGNEE = _("请选择承办的党员或服务队。")
FEEDBACK_MEMBER_NOT_HERE = _("只能分派给已在本社区报到的党员。")
FEEDBACK_TEAM_NOT_HERE = _("只能分派给本社区的服务队。")
FEEDBACK_UNKNOWN_OUTCOME = _("请选择办理结果。")
GOOD_DEED_NOT_STAFF = _("您不是这个社区的工作人员。")


# The close transition for each outcome (the outcome is set by the transition's effect).
CLOSE_TRANSITIONS = {
    Feedback.Outcome.RESOLVED: "resolve",
    Feedback.Outcome.ANSWERED: "answer",
    Feedback.Outcome.REFERRED: "refer",
}


# The public form: at most this many messages per client address and window.
SUBMISSIONS_PER_WINDOW = 5
SUBMISSION_WINDOW = 60 * 60  # seconds
SUBMISSIONS = Limit("voice-submit", SUBMISSIONS_PER_WINDOW, SUBMISSION_WINDOW)


# Receipt-code lookups, so that codes cannot be guessed by trying many.
LOOKUPS_PER_WINDOW = 30
LOOKUPS = Limit("voice-lookup", LOOKUPS_PER_WINDOW, SUBMISSION_WINDOW)
CODE_ATTEMPTS = 5


def _fresh_code() -> str:
    """A receipt code no item has yet (a clash is astronomically unlikely; the unique index
    stays the last word)."""
    for _attempt in range(CODE_ATTEMPTS):
        code = new_receipt_code()
        if not Feedback.objects.filter(code=code).exists():
            return code
    raise RuntimeError("no free receipt code found")


def _start(feedback: Feedback, transition: str, *, by) -> Feedback:
    feedback.code = _fresh_code()
    return FEEDBACK_WORKFLOW.start(feedback, transition, by=by)


@transaction.atomic
def feedback_submit(
    *, community: CommunityPage, kind: str, text: str, name: str = "", phone: str = "", by=None
) -> Feedback:
    """A resident's message from the public form (no account needed): waits to be accepted."""
    if not community.live:
        raise errors.ServiceError(FEEDBACK_COMMUNITY_NOT_LIVE)
    feedback = Feedback(
        community=community,
        kind=kind,
        channel=Feedback.Channel.ONLINE,
        text=text.strip(),
        name=name.strip(),
        phone=phone.strip(),
    )
    feedback = _start(feedback, "submit", by=by or AnonymousUser())
    feedback_submitted.send(sender=Feedback, feedback=feedback)  # the staff alerts listen
    return feedback


@transaction.atomic
def feedback_record(
    *,
    community: CommunityPage,
    kind: str,
    channel: str,
    text: str,
    by,
    name: str = "",
    phone: str = "",
    heard_on: datetime.date | None = None,
) -> Feedback:
    """Something staff heard offline (a visit, a questionnaire, a forum, a call): accepted at
    once, with the channel it came through."""
    feedback = Feedback(
        community=community,
        kind=kind,
        channel=channel,
        text=text.strip(),
        name=name.strip(),
        phone=phone.strip(),
        recorded_by=by,
    )
    if heard_on:
        feedback.heard_on = heard_on
    return _start(feedback, "record", by=by)


def _locked(feedback: Feedback) -> Feedback:
    return Feedback.objects.select_for_update().get(pk=feedback.pk)


def _perform(feedback: Feedback, name: str, *, by, reason: str = "") -> Feedback:
    with transaction.atomic():
        locked = _locked(feedback)
        return FEEDBACK_WORKFLOW.perform(locked, name, by=by, reason=reason)


def feedback_accept(*, feedback: Feedback, by, note: str = "") -> Feedback:
    return _perform(feedback, "accept", by=by, reason=note)


def feedback_reject(*, feedback: Feedback, by, reason: str) -> Feedback:
    """Not taken up (spam, a duplicate, not the community's business): the reason is shown to
    the resident on the status page."""
    return _perform(feedback, "reject", by=by, reason=reason)


def feedback_reopen(*, feedback: Feedback, by, reason: str) -> Feedback:
    return _perform(feedback, "reopen", by=by, reason=reason)


def feedback_close(*, feedback: Feedback, by, outcome: str, note: str) -> Feedback:
    """Close with an outcome; `note` is the reply the resident reads."""
    transition = CLOSE_TRANSITIONS.get(outcome)
    if transition is None:
        raise errors.ServiceError(FEEDBACK_UNKNOWN_OUTCOME, code="invalid")
    return _perform(feedback, transition, by=by, reason=note)


def _check_assignee(feedback: Feedback, member: Member | None, team: Team | None) -> None:
    if member is None and team is None:
        raise errors.ServiceError(FEEDBACK_NO_ASSIGNEE, code="invalid")
    if (
        member is not None
        and not assignable_members(feedback.community_id).filter(pk=member.pk).exists()
    ):
        raise errors.ServiceError(FEEDBACK_MEMBER_NOT_HERE, code="invalid")
    if team is not None and team.community_id != feedback.community_id:
        raise errors.ServiceError(FEEDBACK_TEAM_NOT_HERE, code="invalid")


def feedback_assign(
    *,
    feedback: Feedback,
    by,
    member: Member | None = None,
    team: Team | None = None,
    note: str = "",
) -> Feedback:
    """Give the item to a member who reported to the community, or to one of its teams (or
    both); assigning again hands it over."""
    with transaction.atomic():
        locked = _locked(feedback)
        # The right to act first: an outsider learns nothing about the community's members.
        FEEDBACK_WORKFLOW.check(locked, "assign", by=by, reason=note)
        _check_assignee(locked, member, team)
        locked.assigned_member = member
        locked.assigned_team = team
        return FEEDBACK_WORKFLOW.perform(locked, "assign", by=by, reason=note)


def assignable_members(community_id: int):
    """Members with a confirmed report to the community: those its staff may give work to."""
    return Member.objects.filter(
        reports__community_id=community_id, reports__state=Report.State.CONFIRMED
    ).distinct()


@transaction.atomic
def good_deed_record(
    *,
    community: CommunityPage,
    title: str,
    by,
    done_on: datetime.date | None = None,
    members: Iterable[Member] = (),
    teams: Iterable[Team] = (),
    note: str = "",
) -> GoodDeed:
    if not is_staff_of(by, community.pk):
        raise PermissionDenied(GOOD_DEED_NOT_STAFF)
    deed = GoodDeed(community=community, title=title.strip(), note=note.strip(), recorded_by=by)
    if done_on:
        deed.done_on = done_on
    deed.full_clean()
    deed._history_user = by
    deed.save()
    deed.members.set(members)
    deed.teams.set(teams)
    return deed


def submission_allowed(*, address: str) -> bool:
    return SUBMISSIONS.hit(address)


def lookup_allowed(*, address: str) -> bool:
    return LOOKUPS.hit(address)
