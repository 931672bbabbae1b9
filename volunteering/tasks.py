"""The volunteering app's background tasks (django-tasks): each only calls a service. Queued
after the transaction commits, so a rolled-back change queues nothing."""

from django.db import transaction
from django_tasks import task

from volunteering.notifications import KINDS, notification_send


@task()
def send_notification(kind: str, model_label: str, pk: int, extra: dict) -> bool:
    return notification_send(kind=kind, model_label=model_label, pk=pk, extra=extra)


def notify(kind: str, obj, **extra) -> None:
    """Queue notification `kind` about `obj` (a Report or SignUp) once the transaction commits."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification {kind}")
    label = obj._meta.label
    pk = obj.pk

    def enqueue():
        send_notification.enqueue(kind, label, pk, extra)

    transaction.on_commit(enqueue)
