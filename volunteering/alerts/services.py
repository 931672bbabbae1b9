"""Telling staff of residents' requests (docs/residents-heard.md).

- A request sent online: the community's staff who chose it get an email at once
  (`new_feedback_alerts_send`, queued by `alerts.tasks` when the request is committed: voice
  sends `voice.signals.feedback_submitted`, `alerts.receivers` listens); the others get one
  email a day listing the new ones (`digest_send`).
- A request no one accepted within `VOICE_ESCALATION_DAYS`: once, an email to the city
  (`escalation_send`); it also shows on the city's 待我处理 panel.

The hourly job (`alerts.tasks.queue_periodic_alerts`, the `send_feedback_alerts` command, run
by `run_periodic` or cron) claims the digests and escalations due here, each by a conditional
UPDATE, so running it twice (or at once) sends nothing twice, and queues the sends. The emails
leave out the resident's name and phone."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from portal.addresses import base_url
from portal.emails import render_email
from volunteering.admin.policy import staff_community_ids
from volunteering.alerts.models import StaffAlerts
from volunteering.scopes import city_users, staff_users_of
from volunteering.voice.models import Feedback
from volunteering.voice.selectors import escalation_days, new_online_feedback, overdue_feedback

DEFAULT_DIGEST_HOUR = 8
TEMPLATES = "volunteering/alerts/emails"


def _inspect_url(pk: int) -> str:
    return base_url() + reverse("volunteering_feedback:inspect", args=(pk,))


def _list_url(**params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return base_url() + reverse("volunteering_feedback:index") + (f"?{query}" if query else "")


def _items(feedback_pks) -> list[dict]:
    rows = Feedback.objects.filter(pk__in=feedback_pks).select_related("community")
    return [
        {"feedback": row, "url": _inspect_url(row.pk)}
        for row in rows.order_by("community__title", "created_at")
    ]


def _send(user, stem: str, context: dict) -> bool:
    if not user.email or not user.is_active:
        return False
    context = {**context, "user": user, "base_url": base_url(), "days": escalation_days()}
    stem = f"{TEMPLATES}/{stem}"
    subject, body = render_email(f"{stem}_subject.txt", f"{stem}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


# --- One request, at once -----------------------------------------------------------------


def immediate_recipients(community_id: int):
    """The community's staff who want each new request at once (the default)."""
    return staff_users_of(community_id).exclude(voice_alerts__delivery=StaffAlerts.Delivery.DAILY)


def new_feedback_alerts_send(*, feedback_pk: int) -> int:
    """Email one new request to its community's staff who want it at once; how many sent."""
    feedback = Feedback.objects.filter(pk=feedback_pk).select_related("community").first()
    if feedback is None or feedback.state != Feedback.State.SUBMITTED:
        return 0
    context = {"feedback": feedback, "url": _inspect_url(feedback.pk)}
    return sum(
        _send(user, "feedback_new", context) for user in immediate_recipients(feedback.community_id)
    )


# --- Once a day ---------------------------------------------------------------------------


def digest_moment(now: datetime.datetime) -> datetime.datetime:
    """Today's digest time (VOICE_DIGEST_HOUR, local time) if it has passed, else yesterday's."""
    hour = int(getattr(settings, "VOICE_DIGEST_HOUR", DEFAULT_DIGEST_HOUR))
    local = timezone.localtime(now)
    moment = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    return moment if moment <= local else moment - datetime.timedelta(days=1)


def claim_digests(*, now: datetime.datetime) -> list[tuple[int, list[int]]]:
    """Claim each daily digest due (one per staff member and day) and say what it lists:
    (user, the requests sent online to their communities since their last digest). Call it in
    a transaction and queue the sends when it commits (`alerts.tasks`)."""
    moment = digest_moment(now)
    due = StaffAlerts.objects.filter(delivery=StaffAlerts.Delivery.DAILY, user__is_active=True)
    due = due.exclude(digest_sent_at__gte=moment).select_related("user")
    work = []
    for alerts in due:
        claimed = StaffAlerts.objects.filter(
            pk=alerts.pk, digest_sent_at=alerts.digest_sent_at
        ).update(digest_sent_at=now)
        if not claimed:
            continue  # another run took it
        since = alerts.digest_sent_at or now - datetime.timedelta(days=1)
        communities = staff_community_ids(alerts.user)  # by page permission, not the city's all
        found = new_online_feedback(communities, since=since, until=now)
        if pks := list(found.values_list("pk", flat=True)):
            work.append((alerts.user_id, pks))
    return work


def digest_send(*, user_pk: int, feedback_pks: list[int]) -> bool:
    user = get_user_model().objects.filter(pk=user_pk).first()
    items = _items(feedback_pks)
    if user is None or not items:
        return False
    context = {"items": items, "list_url": _list_url(state=Feedback.State.SUBMITTED)}
    return _send(user, "feedback_digest", context)


# --- Waiting too long: the city -------------------------------------------------------------


def claim_escalations(*, now: datetime.datetime) -> tuple[list[int], list[int]]:
    """Claim the requests that have just waited too long (each once): (their ids, the city
    users to tell). Call it in a transaction and queue the sends when it commits."""
    waiting = overdue_feedback(now=now).filter(escalated_at__isnull=True)
    claimed = [
        pk
        for pk in waiting.values_list("pk", flat=True)
        if Feedback.objects.filter(pk=pk, escalated_at__isnull=True).update(escalated_at=now)
    ]
    if not claimed:
        return [], []
    return claimed, list(city_users().values_list("pk", flat=True))


def escalation_send(*, user_pk: int, feedback_pks: list[int]) -> bool:
    user = get_user_model().objects.filter(pk=user_pk).first()
    items = _items(feedback_pks)
    if user is None or not items:
        return False
    context = {"items": items, "list_url": _list_url(overdue=1)}
    return _send(user, "feedback_escalated", context)
