from django_tasks import task

from volunteering.notifications import notification_send


@task()
def send_notification(kind: str, model_label: str, pk: int, extra: dict) -> bool:
    return notification_send(kind=kind, model_label=model_label, pk=pk, extra=extra)
