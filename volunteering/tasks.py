from django_tasks import task

from volunteering.notifications import notification_send


@task()
def send_notification(kind: str, model_label: str, pk: int, extra: dict) -> bool:
    return notification_send(kind=kind, model_label=model_label, pk=pk, extra=extra)


@task()
def send_activity_reminders() -> int:
    """The day-before reminders (the same as `manage.py send_activity_reminders`)."""
    from volunteering.services.signups import signup_reminders_send

    return signup_reminders_send()
