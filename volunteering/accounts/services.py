"""Members' accounts: a one-time code to the phone to set a new password, and activation
invitations (激活邀请) by email or text message.

Nothing here tells a stranger whether an account exists: sending a code to a number no member
has does nothing and answers like any other; a wrong number and a wrong code are one error.
Codes are 6 digits, kept only as a keyed digest, expire after `CODE_MINUTES`, work once, and
die after `CODE_MAX_ATTEMPTS` wrong tries; a newer code replaces an older one. Sends are limited
per number and per client address (`portal.ratelimit`), and so are tries per client address;
wrong codes are also counted per number across successive codes (`CODE_FAILURES_PER_PHONE`),
so that asking for a new code gives a guesser no new tries. Whether a member has the number is
found out only in the background task that sends the code, so the request does the same work
for every number. Every send and use is a row (`OneTimeCode`, `PasswordResetEmail`,
`Invitation`) with its history."""

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django_tasks import task

from portal.addresses import absolute_url
from portal.emails import render_email, render_text
from portal.ratelimit import Limit
from portal.tasks import queue_email, queue_text
from volunteering import errors
from volunteering.accounts import selectors
from volunteering.accounts.models import Channel, Invitation, OneTimeCode, PasswordResetEmail
from volunteering.people.models import Member
from volunteering.people.phones import phone_canonical, phone_e164
from workflows.statemachine import record_actor

CODE_DIGITS = 6
CODE_MINUTES = 10
CODE_MAX_ATTEMPTS = 5
INVITATION_DAYS = 7

HOUR = 60 * 60
CODE_SENDS_PER_PHONE = Limit("reset-code-phone", 3, HOUR)
CODE_SENDS_PER_ADDRESS = Limit("reset-code-address", 10, HOUR)
CODE_TRIES_PER_ADDRESS = Limit("reset-code-tries-address", 30, HOUR)
# Wrong codes for one number, whatever code they were for and whether or not a member has the
# number: three codes an hour with five tries each would otherwise give 360 guesses a day.
CODE_FAILURES_PER_PHONE = Limit("reset-code-failures-phone", 10, 24 * HOUR)
INVITATION_TRIES_PER_ADDRESS = Limit("invitation-tries-address", 30, HOUR)


def secret_digest(secret: str, *, purpose: str) -> str:
    """What is stored of a code or token: an HMAC keyed with the site's secret key."""
    return salted_hmac(f"volunteering.accounts.{purpose}", secret, algorithm="sha256").hexdigest()


def _member_account(canonical_phone: str):
    """The account of the one active member with this phone, or None (none, or several)."""
    users = list(
        get_user_model()
        .objects.filter(member__phone=canonical_phone, is_active=True)
        .order_by("pk")[:2]
    )
    return users[0] if len(users) == 1 else None


def _render_text(template: str, context: dict) -> str:
    with translation.override("zh-hans"):
        return " ".join(render_text(template, context).split())


# --- One-time codes to the phone ------------------------------------------------------------


def reset_code_send(*, phone: str, address: str) -> None:
    """Count a request for a code to `phone` and queue its delivery (`deliver_reset_code`),
    the same for every number: the task finds out whether one active member has it."""
    canonical = phone_canonical(phone)
    if canonical is None:
        raise errors.ServiceError(errors.PHONE_INVALID, code="invalid")
    if not CODE_SENDS_PER_ADDRESS.hit(address):
        raise errors.ServiceError(errors.CODE_TOO_MANY_REQUESTS, code="throttled")
    if not CODE_SENDS_PER_PHONE.hit(canonical):
        return  # the same answer; the phone is not flooded
    transaction.on_commit(lambda: deliver_reset_code.enqueue(canonical))


@task()
def deliver_reset_code(phone: str) -> bool:
    return reset_code_deliver(phone=phone)


@transaction.atomic
def reset_code_deliver(*, phone: str) -> bool:
    """Send a code to `phone` (canonical) if one active member has it; otherwise nothing."""
    user = _member_account(phone)
    if user is None:
        return False
    now = timezone.now()
    OneTimeCode.objects.filter(phone=phone, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    OneTimeCode.objects.create(
        user=user,
        phone=phone,
        code_digest=secret_digest(code, purpose="code"),
        created_at=now,
        expires_at=now + datetime.timedelta(minutes=CODE_MINUTES),
    )
    body = _render_text(
        "volunteering/accounts/texts/reset_code.txt", {"code": code, "minutes": CODE_MINUTES}
    )
    queue_text(to=phone_e164(phone), body=body)
    return True


def reset_code_use(*, phone: str, code: str, password: str, address: str):
    """Set `password` on the account the newest live code for `phone` belongs to, if `code` is
    it; every try is counted on the code (kept even when the try fails), and every wrong one
    on the number too. Once the number has used up its wrong tries, every try is refused, a
    right code too, until the window ends; alike for a number no member has."""
    canonical = phone_canonical(phone) or ""
    if not CODE_TRIES_PER_ADDRESS.hit(address):
        raise errors.ServiceError(errors.CODE_TOO_MANY_REQUESTS, code="throttled")
    if CODE_FAILURES_PER_PHONE.exceeded(canonical):
        raise errors.ServiceError(errors.CODE_TOO_MANY_FAILURES, code="throttled")
    user = _code_check(canonical, code.strip())
    if user is None:
        CODE_FAILURES_PER_PHONE.hit(canonical)
        raise errors.ServiceError(errors.CODE_INVALID, code="invalid")
    return user_password_set(user=user, password=password)


@transaction.atomic
def _code_check(canonical: str, code: str):
    now = timezone.now()
    row = (
        OneTimeCode.objects.select_for_update()
        .select_related("user")
        .filter(phone=canonical, used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at")
        .first()
    )
    if row is None or row.attempts >= CODE_MAX_ATTEMPTS:
        return None
    row.attempts += 1
    right = constant_time_compare(row.code_digest, secret_digest(code, purpose="code"))
    if right:
        row.used_at = now
    row.save(update_fields=["attempts", "used_at"])
    return row.user if right and row.user.is_active else None


@transaction.atomic
def user_password_set(*, user, password: str):
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


# --- Password-reset links by email (portal.password_reset sends them) --------------------


def reset_email_record(*, user, email: str) -> PasswordResetEmail:
    """A row for a password-reset link sent to `email` for `user`."""
    return PasswordResetEmail.objects.create(user=user, sent_to=email)


@transaction.atomic
def reset_email_used(*, user, now=None) -> PasswordResetEmail | None:
    """A new password was set by a link: its use is recorded on the newest unused row of the
    account sent within the links' lifetime (`PASSWORD_RESET_TIMEOUT`)."""
    now = now or timezone.now()
    since = now - datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    row = (
        PasswordResetEmail.objects.select_for_update()
        .filter(user=user, used_at__isnull=True, created_at__gte=since)
        .order_by("-created_at")
        .first()
    )
    if row is not None:
        row.used_at = now
        row.save(update_fields=["used_at"])
    return row


# --- Activation invitations -----------------------------------------------------------------


def _contact(member: Member, channel: str) -> str:
    if channel == Channel.EMAIL:
        if not member.user.email:
            raise errors.ServiceError(errors.INVITATION_NO_EMAIL, code="invalid")
        return member.user.email
    e164 = phone_e164(member.phone)
    if e164 is None:
        raise errors.ServiceError(errors.INVITATION_NO_PHONE, code="invalid")
    return e164


@transaction.atomic
def invitation_send(*, member: Member, channel: str, by) -> Invitation:
    """Send `member` a link to set their password once, within `INVITATION_DAYS`; earlier
    open invitations stop working. Only those `selectors.may_invite` allows; not once the
    member has a password."""
    if channel not in Channel.values:
        raise errors.ServiceError(errors.INVITATION_NOT_ALLOWED, code="invalid")
    if not selectors.may_invite(by, member):
        raise PermissionDenied(errors.INVITATION_NOT_ALLOWED)
    member = Member.objects.select_for_update().select_related("user").get(pk=member.pk)
    if member.user.has_usable_password():
        raise errors.ServiceError(errors.INVITATION_ALREADY_ACTIVE)
    sent_to = _contact(member, channel)
    now = timezone.now()
    for earlier in Invitation.objects.open(now).filter(member=member):
        earlier.expires_at = now
        record_actor(earlier, by=by)
        earlier.save(update_fields=["expires_at"])
    token = secrets.token_urlsafe(24)
    invitation = Invitation(
        member=member,
        channel=channel,
        sent_to=sent_to,
        token_digest=secret_digest(token, purpose="invitation"),
        sent_by=by,
        sent_at=now,
        expires_at=now + datetime.timedelta(days=INVITATION_DAYS),
    )
    record_actor(invitation, by=by)
    invitation.save()
    _deliver(invitation, token)
    return invitation


def _deliver(invitation: Invitation, token: str) -> None:
    member = invitation.member
    context = {
        "member": member,
        "username": member.user.get_username(),
        "link": absolute_url(reverse("activate", args=[token])),
        "login_url": absolute_url(reverse("login")),
        "days": INVITATION_DAYS,
        "organisation": member.organisation,
    }
    if invitation.channel == Channel.TEXT:
        body = _render_text("volunteering/accounts/texts/invitation.txt", context)
        queue_text(to=invitation.sent_to, body=body)
        return
    subject, body = render_email(
        "volunteering/accounts/emails/invitation_subject.txt",
        "volunteering/accounts/emails/invitation_body.txt",
        context,
    )
    queue_email(subject=subject, body=body, to=invitation.sent_to)


@dataclass
class BulkInvitation:
    sent: int = 0
    skipped: list[tuple[Member, str]] = field(default_factory=list)


def invitations_send(*, members: Iterable[Member], channel: str, by) -> BulkInvitation:
    """Invite each of `members` not yet activated that `by` may invite; the others are listed
    with the reason they were skipped. Each invitation is its own transaction."""
    result = BulkInvitation()
    for member in members:
        try:
            invitation_send(member=member, channel=channel, by=by)
        except (errors.ServiceError, PermissionDenied) as refusal:
            message = getattr(refusal, "message", None) or errors.INVITATION_NOT_ALLOWED
            result.skipped.append((member, str(message)))
        else:
            result.sent += 1
    return result


def invitation_accept(*, token: str, password: str, address: str):
    """Set the invited member's password with the link's token: once, before it expires."""
    if not INVITATION_TRIES_PER_ADDRESS.hit(address):
        raise errors.ServiceError(errors.CODE_TOO_MANY_REQUESTS, code="throttled")
    return _invitation_use(token, password)


@transaction.atomic
def _invitation_use(token: str, password: str):
    digest = secret_digest(token, purpose="invitation")
    invitation = (
        Invitation.objects.open(timezone.now())
        .select_for_update()
        .select_related("member__user")
        .filter(token_digest=digest)
        .first()
    )
    user = invitation.member.user if invitation else None
    if user is None or not user.is_active or user.has_usable_password():
        raise errors.ServiceError(errors.INVITATION_INVALID, code="invalid")
    invitation.used_at = timezone.now()
    record_actor(invitation, by=user)
    invitation.save(update_fields=["used_at"])
    return user_password_set(user=user, password=password)


def invitation_for_token(token: str) -> Invitation | None:
    """The open invitation of a link, for the page that asks for the new password."""
    return selectors.invitation_for_token(secret_digest(token, purpose="invitation"))
