"""Finish the fan-out of any letter sent and not yet fanned out (a worker stopped midway), then
send one batch of the queued emails and texts of letters (`LETTERS_SEND_BATCH`): run every
minute by `run_periodic`, or from cron (docs/letters.md)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from volunteering.letters.sending import deliveries_drain, pending_fan_outs


class Command(BaseCommand):
    help = "Finish letters' fan-outs, then send one batch of their queued emails and texts."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=None, help="Deliveries in this batch.")

    def handle(self, *args, batch=None, **options):
        added = pending_fan_outs()
        handled = deliveries_drain(limit=batch or settings.LETTERS_SEND_BATCH)
        self.stdout.write(f"{added} deliveries created, {handled} deliveries handled.")
