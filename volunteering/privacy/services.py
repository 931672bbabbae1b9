"""Closing a member's account, and erasing residents' contact details after their retention.

Closure: the member asks (`closure_request`) or withdraws (`closure_withdraw`); an admin of the
member's organisation, or the city, confirms (`closure_confirm`) or rejects (`closure_reject`),
all through `CLOSURE_WORKFLOW`. Confirmation ends what the member still had waiting
(`member_commitments_end`: future sign-ups cancelled, freeing their places for the waitlist;
waiting requests withdrawn) and anonymises the member (`member_anonymise`), in the same
transaction: the person is gone, their record (reports, sign-ups and hours, points,
history rows) stays, counted, under a name that identifies nobody."""

import datetime
import secrets
from importlib import import_module

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from volunteering import errors
from volunteering.accounts.models import OneTimeCode, PasswordResetEmail
from volunteering.menu.models import NeedClaim, PostPledge
from volunteering.menu.workflows import CLAIM_WORKFLOW, PLEDGE_WORKFLOW
from volunteering.people.models import Member
from volunteering.privacy.models import AccountClosure
from volunteering.privacy.workflows import CLOSURE_WORKFLOW
from volunteering.reporting.models import Report
from volunteering.reporting.workflows import REPORT_WORKFLOW
from volunteering.signups.models import SignUp
from volunteering.signups.services import signup_cancel_for_closure
from volunteering.teams.models import TeamMembership
from volunteering.teams.workflows import TEAM_MEMBERSHIP_WORKFLOW
from volunteering.voice.models import Feedback
from workflows.history import system_reason
from workflows.statemachine import record_actor

CLOSURE_PENDING = _("您已提交注销申请，正在等待本单位确认。")
# Stored data, not text shown in one language: the same in every reader's language.
ANONYMOUS_NAME = "已注销党员 #{pk}"
CLOSED_USERNAME = "closed-{pk}-{nonce}"
# Why the member's record changed (its history row says so).
ANONYMISED = system_reason("member_anonymised", _("账号已注销，个人信息已删除"))
# Why a sign-up, report, claim, pledge or team request of the member ended.
ACCOUNT_CLOSED = system_reason("account_closed", _("账号已注销"))

# Residents' contact details (name, phone) are kept this long after a request is closed or
# turned down: three years, unless the city sets otherwise.
DEFAULT_RESIDENT_CONTACT_RETENTION_DAYS = 1095


@transaction.atomic
def closure_request(*, member: Member, by, reason: str = "") -> AccountClosure:
    """The member asks to close their account; one request waits at a time."""
    Member.objects.select_for_update().get(pk=member.pk)
    if member.closure_requests.filter(state=AccountClosure.State.PENDING).exists():
        raise errors.ServiceError(CLOSURE_PENDING)
    closure = AccountClosure(
        member=member, organisation_id=member.organisation_id, reason=(reason or "").strip()
    )
    try:
        with transaction.atomic():
            CLOSURE_WORKFLOW.start(closure, "request", by=by)
    except IntegrityError as exc:  # a concurrent request slipped past the check
        raise errors.ServiceError(CLOSURE_PENDING) from exc
    return closure


@transaction.atomic
def closure_withdraw(*, closure: AccountClosure, by, reason: str = "") -> AccountClosure:
    closure = AccountClosure.objects.select_for_update().get(pk=closure.pk)
    return CLOSURE_WORKFLOW.perform(closure, "withdraw", by=by, reason=reason)


@transaction.atomic
def closure_reject(*, closure: AccountClosure, by, reason: str) -> AccountClosure:
    closure = AccountClosure.objects.select_for_update().get(pk=closure.pk)
    return CLOSURE_WORKFLOW.perform(closure, "reject", by=by, reason=reason)


@transaction.atomic
def closure_confirm(*, closure: AccountClosure, by, note: str = "") -> AccountClosure:
    """Confirm the request, end what the member still had waiting, and anonymise the member,
    in one transaction."""
    closure = AccountClosure.objects.select_for_update().get(pk=closure.pk)
    CLOSURE_WORKFLOW.perform(closure, "confirm", by=by, reason=note)
    member_commitments_end(member=closure.member, by=by)
    member_anonymise(member=closure.member, by=by)
    closure.refresh_from_db()
    return closure


def member_commitments_end(*, member: Member, by) -> None:
    """What a closed account leaves waiting ends, each through its workflow's `close_account`
    with the reason `ACCOUNT_CLOSED` (and who confirmed the closure): sign-ups to activities
    not yet begun are cancelled through the sign-ups' cancellation, which frees the place for
    the waitlist; reports, claims and pledges waiting for staff are withdrawn, and requests to
    join a team too. What already happened (attendance, confirmed reports...) stays."""
    signups = SignUp.objects.filter(
        member=member,
        state__in=[SignUp.State.PENDING, SignUp.State.APPROVED, SignUp.State.WAITLISTED],
        activity__starts_at__gt=timezone.now(),
    )
    for signup in signups.order_by("pk"):
        signup_cancel_for_closure(signup=signup, by=by, reason=ACCOUNT_CLOSED)
    waiting = (
        (REPORT_WORKFLOW, member.reports.filter(state=Report.State.PENDING)),
        (CLAIM_WORKFLOW, member.claims.filter(state=NeedClaim.State.PENDING)),
        (PLEDGE_WORKFLOW, member.pledges.filter(state=PostPledge.State.PENDING)),
        (
            TEAM_MEMBERSHIP_WORKFLOW,
            member.team_memberships.filter(state=TeamMembership.State.REQUESTED),
        ),
    )
    for machine, rows in waiting:
        for row in rows.select_for_update().order_by("pk"):
            machine.perform(row, "close_account", by=by, reason=ACCOUNT_CLOSED)


def member_anonymise(*, member: Member, by) -> Member:
    """Remove the person from the portal and keep their record without identity:
    - the member: name replaced by "已注销党员 #<id>", phone, other skills, skills, residence
      community and calendar feed removed, hidden from public rankings;
    - the account: username replaced, name and email emptied, password unusable, inactive, out
      of every group and organisation-admin list, its admin avatar deleted, its sessions and
      API tokens ended, the addresses and numbers its password resets were sent to removed;
    - the history: the same fields scrubbed from every history row of the member, the member's
      own words removed from their closure requests, and the name removed from the labels of
      the admin's audit-log entries.
    Reports, sign-ups, hours, points, assessments and every history row are kept."""
    member = Member.objects.select_for_update().select_related("user").get(pk=member.pk)
    old_name = member.real_name
    anonymous = ANONYMOUS_NAME.format(pk=member.pk)
    scrubbed = {
        "real_name": anonymous,
        "phone": "",
        "other_skills": "",
        "residence_community": None,
    }
    for name, value in scrubbed.items():
        setattr(member, name, value)
    member.calendar_token = None
    member.hide_from_rankings = True
    record_actor(member, by=by, reason=ANONYMISED)
    member.save()
    member.skills.clear()
    Member.history.filter(id=member.pk).update(**scrubbed)
    AccountClosure.objects.filter(member=member).update(reason="")
    AccountClosure.history.filter(member_id=member.pk).update(reason="")
    _close_login(member.user)
    _scrub_log_labels(member, old_name=old_name, anonymous=anonymous)
    return member


# The member's own records, whose audit-log labels (their `__str__`) may carry the name.
OWN_RECORDS = (
    "reports",
    "service_files",
    "signups",
    "claims",
    "pledges",
    "team_memberships",
    "point_entries",
    "assessments",
    "closure_requests",
)


def _scrub_log_labels(member: Member, *, old_name: str, anonymous: str) -> None:
    """Wagtail's audit log keeps each object's label as it read then: replace the name in the
    labels of the log entries of the member and of the member's own records."""
    if not old_name:
        return
    about = Q(content_type=ContentType.objects.get_for_model(Member), object_id=str(member.pk))
    for name in OWN_RECORDS:
        related = getattr(member, name)
        pks = [str(pk) for pk in related.values_list("pk", flat=True)]
        if pks:
            content_type = ContentType.objects.get_for_model(related.model)
            about |= Q(content_type=content_type, object_id__in=pks)
    ModelLogEntry.objects.filter(about, label__contains=old_name).update(
        label=Replace("label", Value(old_name), Value(anonymous))
    )


def _close_login(user) -> None:
    user.username = CLOSED_USERNAME.format(pk=user.pk, nonce=secrets.token_hex(4))
    user.first_name = ""
    user.last_name = ""
    user.email = ""
    user.is_active = False
    user.is_staff = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    user.managed_organisations.clear()
    user.portal_api_tokens.all().delete()
    # The log of password resets keeps its rows (when, how many), not where they went.
    for model, contact in ((PasswordResetEmail, "sent_to"), (OneTimeCode, "phone")):
        model.objects.filter(user=user).update(**{contact: ""})
        model.history.filter(user_id=user.pk).update(**{contact: ""})
    _remove_avatar(user)
    # Sessions are not indexed by user: finding them reads every unexpired session, a cost that
    # grows with the city, so the task worker does it after the commit. Until then the sessions
    # are already dead (the unusable password changed the auth hash Django checks on each
    # request, and the user is inactive); the task removes what they still hold.
    user_pk = user.pk
    transaction.on_commit(lambda: _queue_end_sessions(user_pk))


def _queue_end_sessions(user_pk: int) -> None:
    from volunteering.privacy.tasks import end_sessions  # the task module imports this one

    end_sessions.enqueue(user_pk)


def _remove_avatar(user) -> None:
    """An admin user may have uploaded a photo of themselves (Wagtail's profile avatar)."""
    profile = UserProfile.objects.filter(user=user).first()
    if profile is not None and profile.avatar:
        profile.avatar.delete(save=True)


def user_sessions_end(*, user_pk: int) -> int:
    """Delete the user's stored sessions (the password change alone already voids them at the
    next request). Sessions are not indexed by user: the unexpired ones are read once (in the
    task worker: see `_close_login`)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user_pk):
            store(session_key=session.session_key).delete()
            ended += 1
    return ended


# --- Residents' contact details ---------------------------------------------------------------


def resident_contact_retention_days() -> int:
    return int(
        getattr(
            settings, "RESIDENT_CONTACT_RETENTION_DAYS", DEFAULT_RESIDENT_CONTACT_RETENTION_DAYS
        )
    )


def resident_contacts_due(*, now=None) -> QuerySet[Feedback]:
    """Residents' requests closed or turned down more than the retention period ago that still
    hold a name or phone."""
    now = now or timezone.now()
    before = now - datetime.timedelta(days=resident_contact_retention_days())
    finished = Q(state=Feedback.State.CLOSED) | Q(state=Feedback.State.REJECTED)
    old = Q(state_changed_at__lt=before) | Q(state_changed_at__isnull=True, created_at__lt=before)
    return Feedback.objects.filter(finished & old).filter(~Q(name="") | ~Q(phone=""))


@transaction.atomic
def resident_contacts_erase(*, now=None, dry_run: bool = False) -> int:
    """Erase the name and phone of the requests `resident_contacts_due` finds, from the request
    and from every history row of it: how many requests (counted only, when `dry_run`)."""
    pks = list(resident_contacts_due(now=now).values_list("pk", flat=True))
    if dry_run or not pks:
        return len(pks)
    # A queryset update: not a change of the request people need in its timeline, and the
    # state machine's save guard is not involved (the state does not change).
    Feedback.objects.filter(pk__in=pks).update(name="", phone="")
    Feedback.history.filter(id__in=pks).update(name="", phone="")
    return len(pks)
