"""Email notifications: queued after the transaction commits, sent by a django-tasks task that
only calls `notification_send`. A rolled-back change never sends a message."""

from django.apps import apps
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

# kind → (template stem, how to find the recipient member from the object)
KINDS = {
    "report_confirmed": "report_confirmed",
    "report_returned": "report_returned",
    "signup_approved": "signup_approved",
    "signup_rejected": "signup_rejected",
    "signup_waitlisted": "signup_waitlisted",
    "signup_promoted": "signup_promoted",
    "signup_reminder": "signup_reminder",
    "report_reminder": "report_reminder",
}


def notify(kind: str, obj, **extra) -> None:
    """Queue notification `kind` about `obj` (a Report or SignUp) once the transaction commits."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification {kind}")
    label = obj._meta.label
    pk = obj.pk

    def enqueue():
        from volunteering.tasks import send_notification

        send_notification.enqueue(kind, label, pk, extra)

    transaction.on_commit(enqueue)


def notification_send(*, kind: str, model_label: str, pk: int, extra: dict) -> bool:
    """Render and send one notification; False when there is nobody to send it to."""
    obj = apps.get_model(model_label).objects.filter(pk=pk).select_related("member__user").first()
    if obj is None:
        return False
    user = obj.member.user
    if not user.email or not user.is_active:
        return False
    context = {
        "object": obj,
        "member": obj.member,
        "extra": extra,
        "base_url": settings.WAGTAILADMIN_BASE_URL,
    }
    with translation.override(settings.LANGUAGE_CODE):
        stem = f"volunteering/emails/{KINDS[kind]}"
        subject = " ".join(render_to_string(f"{stem}_subject.txt", context).split())
        body = render_to_string(f"{stem}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True
