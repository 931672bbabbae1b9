"""The queued task that sends the day-before reminders of activities."""

from django_tasks import task

from volunteering.signups.services import signup_reminders_send


@task()
def send_activity_reminders() -> int:
    """The day-before reminders (the same as `manage.py send_activity_reminders`)."""
    return signup_reminders_send()
