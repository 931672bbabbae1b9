"""The queued sends of the staff alerts (django-tasks): each task only calls `alerts.services`,
and is queued after the transaction commits, so a rolled-back change sends nothing."""

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from volunteering.alerts import services as alerts
from volunteering.voice.models import Feedback


@task()
def send_new_feedback_alerts(feedback_pk: int) -> int:
    return alerts.new_feedback_alerts_send(feedback_pk=feedback_pk)


@task()
def send_feedback_digest(user_pk: int, feedback_pks: list[int]) -> bool:
    return alerts.digest_send(user_pk=user_pk, feedback_pks=feedback_pks)


@task()
def send_feedback_escalation(user_pk: int, feedback_pks: list[int]) -> bool:
    return alerts.escalation_send(user_pk=user_pk, feedback_pks=feedback_pks)


def queue_new_feedback_alerts(feedback: Feedback) -> None:
    """Tell the community's staff of a request once it is committed."""
    pk = feedback.pk
    transaction.on_commit(lambda: send_new_feedback_alerts.enqueue(pk))


def queue_periodic_alerts(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """The hourly job: claim the daily digests and escalations due and queue their emails;
    (digests queued, requests escalated)."""
    now = now or timezone.now()
    with transaction.atomic():
        digests = alerts.claim_digests(now=now)
        escalated, city = alerts.claim_escalations(now=now)
        for user_pk, pks in digests:
            transaction.on_commit(lambda u=user_pk, p=pks: send_feedback_digest.enqueue(u, p))
        for user_pk in city:
            transaction.on_commit(
                lambda u=user_pk, p=escalated: send_feedback_escalation.enqueue(u, p)
            )
    return len(digests), len(escalated)


@task()
def send_feedback_alerts() -> tuple[int, int]:
    """The hourly job as a task (the same as `manage.py send_feedback_alerts`)."""
    return queue_periodic_alerts()
