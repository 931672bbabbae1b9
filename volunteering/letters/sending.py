"""Sending a letter's emails and text messages: what they say, and the drain that sends the
queued deliveries in batches (run by `tasks.drain_letters` and the periodic job
`send_letters`, never inside a request)."""

import html
import logging
import re

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.rich_text import expand_db_html

from portal.addresses import absolute_url
from portal.emails import render_email
from portal.sms import send_text
from volunteering.letters.models import Delivery, Letter
from volunteering.people.phones import phone_e164

logger = logging.getLogger(__name__)

Status = Delivery.Status
Channel = Delivery.Channel


def letter_url(letter: Letter) -> str:
    """The letter in the member's inbox, on the public address (emails, texts, the QR code)."""
    return absolute_url(reverse("service:letter_detail", args=[letter.pk]))


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


def deliveries_drain(*, limit: int, now=None) -> int:
    """Send the emails and texts of at most `limit` queued deliveries, oldest first; each is
    claimed under a row lock (skipped by a concurrent drain). Returns how many were handled."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = list(
            Delivery.objects.queued()
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("letter", "member__user")
            .order_by("queued_at", "pk")[:limit]
        )
        messages: dict[int, dict] = {}
        with get_connection() as connection:
            for delivery in claimed:
                if delivery.letter_id not in messages:
                    messages[delivery.letter_id] = letter_message(delivery.letter)
                _deliver(delivery, messages[delivery.letter_id], connection, now)
        Delivery.objects.bulk_update(
            claimed, ["status", "email_status", "text_status", "attempts", "sent_at"]
        )
    return len(claimed)


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
