"""The volunteering app's background tasks (django-tasks): each only calls a service. Queued
with the transaction, so a rolled-back change queues nothing: the database backend's task is a
row written in the same transaction; any other backend is handed the task after the commit."""

from django.db import transaction
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend

from volunteering.notifications import KINDS, notification_send


@task()
def send_notification(kind: str, model_label: str, pk: int, extra: dict) -> bool:
    return notification_send(kind=kind, model_label=model_label, pk=pk, extra=extra)


def notify(kind: str, obj, **extra) -> None:
    """Queue notification `kind` about `obj` (a Report or SignUp) with the transaction."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification {kind}")
    label = obj._meta.label
    pk = obj.pk

    def enqueue():
        send_notification.enqueue(kind, label, pk, extra)

    if isinstance(send_notification.get_backend(), DatabaseBackend) and (
        transaction.get_connection().in_atomic_block
    ):
        # Committed (or rolled back) with the change, without a commit of its own: the API's
        # sign-up at crowd speed (issue 11) paid a second commit, and its flush, for this row.
        enqueue()
    else:
        transaction.on_commit(enqueue)
