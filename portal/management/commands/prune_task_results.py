"""Delete finished tasks from the database task queue once they are two days old (a daily job of
`run_periodic`). A task's row keeps its arguments, an email's body among them, a password reset
link included: the table must not become a store of them (docs/deployment.md). Where tasks are
not stored (the immediate backend of development and the test suite) there is nothing to do."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

KEEP_DAYS = 2


def tasks_are_stored() -> bool:
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


class Command(BaseCommand):
    help = f"Delete finished tasks older than {KEEP_DAYS} days from the database task queue."

    def handle(self, *args, **options):
        if not tasks_are_stored():
            return
        call_command(
            "prune_db_task_results",
            queue_name="*",
            min_age_days=KEEP_DAYS,
            verbosity=options["verbosity"],
        )
