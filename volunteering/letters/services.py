"""Writes about letters: sending (one delivery per recipient, created once), draining the queue
of emails and texts in batches, resending to those who have not opened it, marking read.

Nothing here sends inside the request that asks for a send: `letter_send` records the send
and queues the task `fan_out_letter`, which creates the deliveries (`sending.letter_fan_out`);
`sending.deliveries_drain`, run by the task `drain_letters` or the periodic job `send_letters`,
sends their emails and texts."""

from django.db import transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from volunteering.errors import ServiceError
from volunteering.letters.models import Delivery, Letter
from volunteering.letters.selectors import audience_error, audience_members, sender_error
from volunteering.letters.tasks import queue_drain, queue_fan_out

SEND_ACTION = "volunteering.letter.send"
RESEND_ACTION = "volunteering.letter.resend"

LETTER_IN_REVIEW = _("这封信正在审核中，审核通过后才能发送。")
LETTER_NOT_APPROVED = _("市级来信须经审核通过并发布后才能发送。")
LETTER_NOT_SENT_YET = _("这封信还没有发送。")
NO_RECIPIENTS = _("所选的收信人中没有在职党员。")

Status = Delivery.Status
Channel = Delivery.Channel


def letter_check(*, letter: Letter, by) -> None:
    """Raise the error the sender should see if `by` may not send this letter now."""
    problem = sender_error(by, letter) or audience_error(letter)
    if problem:
        raise ServiceError(problem, code="forbidden")
    if letter.sender == Letter.Sender.CITY:
        if letter.workflow_in_progress:
            raise ServiceError(LETTER_IN_REVIEW)
        if not letter.live:
            raise ServiceError(LETTER_NOT_APPROVED)


@transaction.atomic
def letter_send(*, letter: Letter, by, now=None) -> int:
    """Send a letter to its audience: record the send and queue the fan-out, which creates one
    delivery per recipient who has none yet (sending again reaches only those added to the
    group since) once this commits. Returns how many recipients it is queued for."""
    now = now or timezone.now()
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    letter_check(letter=letter, by=by)
    if not letter.live:  # an organisation's or community's notice: published as it is sent
        letter.save_revision(user=by, log_action=True).publish(user=by)
        letter.refresh_from_db()
    already = Delivery.objects.filter(letter=letter).values("member_id")
    added = audience_members(letter).exclude(pk__in=already).count()
    if not added and not letter.deliveries.exists():
        raise ServiceError(NO_RECIPIENTS)
    if letter.sent_at is None:
        letter.sent_at, letter.sent_by = now, by
    letter.fan_out_queued_at = now
    letter.save(update_fields=["sent_at", "sent_by", "fan_out_queued_at"])
    log(letter, SEND_ACTION, user=by, data={"recipients": added})
    queue_fan_out(letter.pk)
    return added


@transaction.atomic
def letter_resend_unread(*, letter: Letter, by, now=None) -> int:
    """Queue again the emails and texts of the deliveries not read yet (those only in the
    inbox wait there). Returns how many were queued."""
    now = now or timezone.now()
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.sent_at is None:
        raise ServiceError(LETTER_NOT_SENT_YET)
    if problem := sender_error(by, letter):
        raise ServiceError(problem, code="forbidden")
    queued = (
        letter.deliveries.filter(read_at__isnull=True)
        .exclude(status=Status.QUEUED)
        .filter(Q(email_status__gt="") | Q(text_status__gt=""))
        .update(
            status=Status.QUEUED,
            queued_at=now,
            email_status=_requeue("email_status"),
            text_status=_requeue("text_status"),
        )
    )
    log(letter, RESEND_ACTION, user=by, data={"recipients": queued})
    queue_drain()
    return queued


def _requeue(field: str) -> Case:
    return Case(When(**{field: ""}, then=Value("")), default=Value(Channel.QUEUED))


def delivery_mark_read(*, delivery: Delivery, now=None) -> Delivery:
    """The member opened the letter: the first time is recorded."""
    if delivery.read_at is None:
        delivery.read_at = now or timezone.now()
        Delivery.objects.filter(pk=delivery.pk, read_at__isnull=True).update(
            read_at=delivery.read_at
        )
    return delivery
