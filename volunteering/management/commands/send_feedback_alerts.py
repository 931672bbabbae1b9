"""Queue the daily digests of new residents' requests and the escalations of requests no one
accepted in time (run hourly: `run_periodic` does; docs/residents-heard.md)."""

from django.core.management.base import BaseCommand

from volunteering.alerts.tasks import queue_periodic_alerts


class Command(BaseCommand):
    help = (
        "Queue the daily digests of residents' requests to staff and the escalations to the city."
    )

    def handle(self, *args, **options):
        digests, escalated = queue_periodic_alerts()
        self.stdout.write(f"{digests} digest(s) queued, {escalated} request(s) escalated.")
