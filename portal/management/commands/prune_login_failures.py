"""Delete the log of failed sign-ins (`portal.models.LoginFailure`) once older than
LOGIN_FAILURE_RETENTION_DAYS (default 90): a daily job of `run_periodic`. Client addresses are
personal data, kept only as long as they help to see guessing."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from portal.models import LoginFailure


def retention_days() -> int:
    return int(getattr(settings, "LOGIN_FAILURE_RETENTION_DAYS", 90))


class Command(BaseCommand):
    help = "Delete failed sign-ins older than LOGIN_FAILURE_RETENTION_DAYS (default 90)."

    def handle(self, *args, **options):
        cutoff = timezone.now() - datetime.timedelta(days=retention_days())
        deleted, _per_model = LoginFailure.objects.filter(at__lt=cutoff).delete()
        if options["verbosity"] > 1:
            self.stdout.write(f"{deleted}")
