"""The project's own background tasks (django-tasks): sending an email or a text message made
by a service. Queued after the transaction commits (a rolled-back change sends nothing), and
outside the request in production, so that how long a send takes says nothing to the sender
(whether an account exists, for instance)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django_tasks import task

from portal.sms import send_text as sms_send_text


@task()
def send_email(subject: str, body: str, to: str) -> int:
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def queue_email(*, subject: str, body: str, to: str) -> None:
    transaction.on_commit(lambda: send_email.enqueue(subject, body, to))


@task()
def send_text(to: str, body: str) -> int:
    return sms_send_text(to, body)


def queue_text(*, to: str, body: str) -> None:
    """`to` in E.164 ("+8613908741001"), through `SMS_BACKEND` (`portal.sms`)."""
    transaction.on_commit(lambda: send_text.enqueue(to, body))
