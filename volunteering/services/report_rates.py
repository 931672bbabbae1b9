"""Reminding members who have not reported (报到提醒): the organisation pushes (机关单位强力推动).

One action of an organisation's admin sends one email to each member on its roll who has not
reported (and been confirmed) that year; a member reminded within the last day is skipped, so a
second click does not send the same email again. Emails go out after the transaction commits,
through the notification task (`volunteering.notifications`)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from volunteering.models import Organisation, ReportReminder
from volunteering.notifications import notify
from volunteering.selectors.report_rates import non_reporters

REMINDER_INTERVAL = datetime.timedelta(days=1)
REMIND_NOT_ORGANISATION_ADMIN = _("只有本单位的管理员可以提醒本单位党员报到。")


@dataclass
class RemindResult:
    sent: int
    skipped_recent: int
    without_email: int


def is_organisation_admin(user, organisation: Organisation) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and organisation.admins.filter(pk=user.pk).exists()
    )


@transaction.atomic
def report_reminders_send(*, organisation: Organisation, year: int, by) -> RemindResult:
    """Queue one reminder email to each member of `organisation` who has not reported in
    `year`, except those reminded within a day and those without an email address."""
    if not is_organisation_admin(by, organisation):
        raise PermissionDenied(REMIND_NOT_ORGANISATION_ADMIN)
    # Two admins clicking at once must not both send: serialise on the organisation.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    since = timezone.now() - REMINDER_INTERVAL
    recent = set(
        ReportReminder.objects.filter(organisation=organisation, sent_at__gte=since).values_list(
            "member_id", flat=True
        )
    )
    sent = skipped = without_email = 0
    for member in non_reporters(organisation=organisation, year=year):
        if member.pk in recent:
            skipped += 1
        elif not member.user.email or not member.user.is_active:
            without_email += 1
        else:
            reminder = ReportReminder.objects.create(
                member=member, organisation=organisation, year=year, sent_by=by
            )
            notify("report_reminder", reminder, year=year)
            sent += 1
    return RemindResult(sent, skipped, without_email)
