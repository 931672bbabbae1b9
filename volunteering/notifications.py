"""Email notifications: what each kind says and to whom (`notification_send`). They are queued by
`volunteering.tasks.notify` after the transaction commits and sent by its task, so a rolled-back
change never sends a message."""

from django.apps import apps
from django.conf import settings
from django.core.mail import send_mail

from portal.addresses import base_url
from portal.emails import render_email

# kind → its template stem under templates/volunteering/ (the capability that sends it)
KINDS = {
    "report_confirmed": "reporting/emails/report_confirmed",
    "report_returned": "reporting/emails/report_returned",
    "signup_approved": "signups/emails/signup_approved",
    "signup_rejected": "signups/emails/signup_rejected",
    "signup_waitlisted": "signups/emails/signup_waitlisted",
    "signup_promoted": "signups/emails/signup_promoted",
    "signup_reminder": "signups/emails/signup_reminder",
    "report_reminder": "assessment/emails/report_reminder",
}


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
        "base_url": base_url(),  # PORTAL_BASE_URL: links work wherever they are read
    }
    stem = f"volunteering/{KINDS[kind]}"
    subject, body = render_email(f"{stem}_subject.txt", f"{stem}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True
