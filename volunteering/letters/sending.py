"""Sending a letter, never inside a request: the fan-out that creates one delivery per
recipient in chunks (`tasks.fan_out_letter`), what the emails and texts say, and the drain that
sends the queued deliveries in claimed batches (`tasks.drain_letters`, the periodic job
`send_letters`)."""

import datetime
import html
import logging
import re
import uuid

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.rich_text import expand_db_html

from portal.addresses import absolute_url
from portal.emails import render_email
from portal.sms import send_text
from volunteering.letters.models import Delivery, Letter
from volunteering.letters.selectors import audience_members
from volunteering.people.phones import phone_e164

logger = logging.getLogger(__name__)

Status = Delivery.Status
Channel = Delivery.Channel
CHUNK = 2000  # recipients read and inserted per transaction by the fan-out
INSERT_BATCH = 1000  # rows per INSERT (SQLite takes fewer: Django splits them)
CLAIM_LEASE = datetime.timedelta(minutes=10)  # a drain that died: its claim lapses after this


# --- The fan-out: one delivery per recipient ----------------------------------------------------


def letter_fan_out(letter: Letter, now=None) -> int:
    """Create the deliveries of the recipients who have none yet, `CHUNK` at a time, each chunk
    committed on its own: a fan-out interrupted midway is finished by running it again (the
    periodic job `send_letters` does). The letter is marked done only if no send came after this
    began (that send's own fan-out, or the periodic job, reaches whom this one missed). Returns
    how many were added."""
    now = now or timezone.now()
    already = Delivery.objects.filter(letter=letter).values("member_id")
    recipients = (
        audience_members(letter)
        .exclude(pk__in=already)
        .order_by("pk")
        .values_list("pk", "user__email", "phone")
    )
    added, last = 0, 0
    while rows := list(recipients.filter(pk__gt=last)[:CHUNK]):
        deliveries = [
            _delivery(letter, pk, mail, str(phone or ""), now) for pk, mail, phone in rows
        ]
        with transaction.atomic():
            Delivery.objects.bulk_create(deliveries, batch_size=INSERT_BATCH, ignore_conflicts=True)
        added, last = added + len(rows), rows[-1][0]
    Letter.objects.filter(pk=letter.pk, fan_out_queued_at__lte=now).update(fan_out_queued_at=None)
    return added


def pending_fan_outs() -> int:
    """Finish the fan-outs a send started and nobody finished (a worker stopped midway)."""
    letters = Letter.objects.filter(fan_out_queued_at__isnull=False, sent_at__isnull=False)
    return sum(letter_fan_out(letter) for letter in letters)


def _delivery(letter: Letter, member_id: int, email: str, phone, now) -> Delivery:
    email_status = Channel.QUEUED if letter.by_email and email else Channel.NONE
    text_status = Channel.QUEUED if letter.by_text and str(phone or "") else Channel.NONE
    waiting = Channel.QUEUED in (email_status, text_status)
    return Delivery(
        letter=letter,
        member_id=member_id,
        email_status=email_status,
        text_status=text_status,
        status=Status.QUEUED if waiting else Status.SENT,
        queued_at=now,
        sent_at=None if waiting else now,
    )


# --- What the emails and texts say --------------------------------------------------------------


def letter_url(letter: Letter) -> str:
    """The letter in the member's inbox, on the public address (emails, texts, the QR code)."""
    return absolute_url(reverse("service:letter_detail", args=[letter.pk]))


def notice_url(letter: Letter) -> str:
    """The public notice, readable without signing in (a letter made public)."""
    return absolute_url(reverse("service:notice_detail", args=[letter.pk]))


def letter_message(letter: Letter) -> dict:
    """What a letter's email and text message say (in the site's language)."""
    url = letter_url(letter)
    context = {"letter": letter, "url": url, "text": rich_text_as_text(letter.body)}
    subject, body = render_email(
        "volunteering/letters/emails/letter_subject.txt",
        "volunteering/letters/emails/letter_body.txt",
        context,
    )
    text = str(
        _("%(sender)s来信《%(title)s》，请登录查看：%(url)s")
        % {"sender": letter.sender_name, "title": letter.title, "url": url}
    )
    return {"subject": subject, "body": body, "text": text}


def rich_text_as_text(value: str) -> str:
    """A letter's rich text as plain text for an email: paragraphs and list items on lines."""
    markup = re.sub(r"</(p|h2|h3|li)>|<br\s*/?>", "\n", expand_db_html(value))
    lines = (html.unescape(strip_tags(line)).strip() for line in markup.split("\n"))
    return "\n\n".join(line for line in lines if line)


# --- The drain: queued deliveries sent in claimed batches ---------------------------------------


def deliveries_drain(*, limit: int, now=None) -> int:
    """Send the emails and texts of at most `limit` queued deliveries, oldest first. The batch
    is first claimed in a short transaction (`claim_batch`), so that two drains running at once
    (the task `drain_letters` and the periodic job) never send one delivery twice, then sent
    outside it. Returns how many were handled."""
    now = now or timezone.now()
    claimed = list(
        Delivery.objects.filter(claim=claim_batch(limit=limit, now=now))
        .select_related("letter", "member__user")
        .order_by("queued_at", "pk")
    )
    messages: dict[int, dict] = {}
    with get_connection() as mail_connection:
        for delivery in claimed:
            if delivery.letter_id not in messages:
                messages[delivery.letter_id] = letter_message(delivery.letter)
            _deliver(delivery, messages[delivery.letter_id], mail_connection, now)
            delivery.claim = delivery.claimed_at = None
    Delivery.objects.bulk_update(
        claimed,
        ["status", "email_status", "text_status", "attempts", "sent_at", "claim", "claimed_at"],
    )
    return len(claimed)


def claim_batch(*, limit: int, now) -> uuid.UUID:
    """Mark at most `limit` queued deliveries, unclaimed or whose claim lapsed, as this
    batch's; returns the batch's token. On PostgreSQL the rows are chosen under
    `SELECT … FOR UPDATE SKIP LOCKED` (a concurrent drain takes the next rows); on SQLite,
    which has no row locks, one UPDATE statement chooses and marks them (SQLite runs one write
    at a time). Either way the UPDATE checks again that each row is still free."""
    token = uuid.uuid4()
    free = Delivery.objects.queued().filter(
        Q(claim__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE)
    )
    oldest = free.order_by("queued_at", "pk").values_list("pk", flat=True)
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            oldest = list(oldest.select_for_update(skip_locked=True)[:limit])
        else:
            oldest = oldest[:limit]
        free.filter(pk__in=oldest).update(claim=token, claimed_at=now)
    return token


def _deliver(delivery: Delivery, message: dict, connection, now) -> None:
    member = delivery.member
    if delivery.email_status == Channel.QUEUED:
        delivery.email_status = _outcome(
            lambda: EmailMessage(
                message["subject"],
                message["body"],
                settings.DEFAULT_FROM_EMAIL,
                [member.user.email],
                connection=connection,
            ).send()
        )
    if delivery.text_status == Channel.QUEUED:
        to = phone_e164(str(member.phone or ""))
        delivery.text_status = (
            _outcome(lambda: send_text(to, message["text"])) if to else Channel.FAILED
        )
    failed = Channel.FAILED in (delivery.email_status, delivery.text_status)
    delivery.status = Status.FAILED if failed else Status.SENT
    delivery.attempts += 1
    delivery.sent_at = now


def _outcome(send) -> str:
    try:
        return Channel.SENT if send() else Channel.FAILED
    except Exception:  # a provider's error is the delivery's failure, not the batch's
        logger.exception("letter delivery failed")
        return Channel.FAILED
