"""Queue the day-before reminders of tomorrow's activities (run daily from cron)."""

from django.core.management.base import BaseCommand

from volunteering.signups.services import signup_reminders_send


class Command(BaseCommand):
    help = "Queue the reminder email for each approved sign-up of an activity starting tomorrow."

    def handle(self, *args, **options):
        count = signup_reminders_send()
        self.stdout.write(f"{count} reminder(s) queued.")
