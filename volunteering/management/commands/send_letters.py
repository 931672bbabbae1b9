"""Send one batch of the queued emails and texts of letters (`LETTERS_SEND_BATCH`): run every
minute by `run_periodic`, or from cron (docs/letters.md)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from volunteering.letters.sending import deliveries_drain


class Command(BaseCommand):
    help = "Send one batch of letters' queued emails and text messages."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=None, help="Deliveries in this batch.")

    def handle(self, *args, batch=None, **options):
        handled = deliveries_drain(limit=batch or settings.LETTERS_SEND_BATCH)
        self.stdout.write(f"{handled} deliveries handled.")
