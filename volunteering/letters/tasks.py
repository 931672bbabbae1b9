"""The queued sends of letters (django-tasks): each task only calls a service."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from volunteering.letters.models import Delivery, Letter
from volunteering.letters.sending import deliveries_drain, letter_fan_out


@task()
def fan_out_letter(letter_id: int) -> int:
    """Create a sent letter's deliveries (in chunks), then ask for the queue to be drained.
    Finished already (by the periodic job), it costs two queries and adds nobody."""
    letter = Letter.objects.filter(pk=letter_id).first()
    if letter is None:
        return 0
    added = letter_fan_out(letter)
    if default_task_backend.supports_defer:
        _enqueue(after=1)
    return added


@task()
def drain_letters() -> int:
    """Send one batch (`LETTERS_SEND_BATCH`) and, while deliveries wait, come back after
    `LETTERS_SEND_INTERVAL` seconds: the throttle."""
    handled = deliveries_drain(limit=settings.LETTERS_SEND_BATCH)
    if default_task_backend.supports_defer and Delivery.objects.queued().exists():
        _enqueue(after=settings.LETTERS_SEND_INTERVAL)
    return handled


def _enqueue(*, after: int) -> None:
    run_after = timezone.now() + datetime.timedelta(seconds=after)
    drain_letters.using(run_after=run_after).enqueue()


def queue_fan_out(letter_id: int) -> None:
    """After the transaction commits, create the letter's deliveries: at once with the
    immediate backend (dev, tests), by a worker with the database backend. If it fails, the
    letter keeps its `fan_out_queued_at` and the periodic job `send_letters` finishes it."""
    transaction.on_commit(lambda: fan_out_letter.enqueue(letter_id), robust=True)


def queue_drain() -> None:
    """After the transaction commits, ask a task worker to drain the queue soon. A backend
    that cannot defer (the immediate backend runs the task in the request) is not asked: the
    periodic job `send_letters` drains the queue instead."""
    if default_task_backend.supports_defer:
        transaction.on_commit(lambda: _enqueue(after=1))
