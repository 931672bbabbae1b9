"""Prune old history: the only way history is ever deleted.

The rule (also in README, "History and retention"): history rows (django-simple-history, every
tracked model) and Wagtail log entries of non-page objects (`ModelLogEntry`) recorded more than
HISTORY_RETENTION_DAYS ago (default 1826 days, five years) are deleted, except
- the newest row of each object, so every object keeps the record of its current state, and
- everything about an object still awaiting a decision (a pending report, claim, pledge, team
  request or sign-up, a waitlisted sign-up, an open resident's feedback), whatever its age.
Page history (revisions, page log entries) is Wagtail's and is not touched.
The same run erases residents' names and phones from their requests (and the requests' history)
closed or turned down more than RESIDENT_CONTACT_RETENTION_DAYS ago (default 1095 days, three
years; docs/privacy.md).
Idempotent (a second run deletes nothing more); all in one transaction; --dry-run counts only."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from volunteering.privacy.services import resident_contact_retention_days, resident_contacts_erase
from volunteering.records.history import awaiting_decision
from workflows.history import historical_models, prunable_history, prunable_log_entries

DEFAULT_RETENTION_DAYS = 1826


def retention_days() -> int:
    return int(getattr(settings, "HISTORY_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def history_prune(*, before: datetime.datetime, dry_run: bool = False) -> dict[str, int]:
    """Delete (or, dry, count) what the rule allows: {model label: rows}. One transaction."""
    keep = awaiting_decision()
    counts: dict[str, int] = {}
    with transaction.atomic():
        for historical in historical_models():
            rows = prunable_history(
                historical, before=before, keep=keep.get(historical.instance_type)
            )
            counts[historical._meta.label] = _delete(rows, dry_run=dry_run)
        entries = prunable_log_entries(before=before, keep=keep)
        counts[ModelLogEntry._meta.label] = _delete(entries, dry_run=dry_run)
    return counts


def _delete(queryset, *, dry_run: bool) -> int:
    if dry_run:
        return queryset.count()
    # Delete by primary key: databases refuse a DELETE whose subquery reads the same table.
    pks = list(queryset.values_list("pk", flat=True))
    queryset.model._default_manager.filter(pk__in=pks).delete()
    return len(pks)


class Command(BaseCommand):
    help = (
        "Delete history older than HISTORY_RETENTION_DAYS (default 1826 days, five years): "
        "django-simple-history rows and Wagtail log entries of non-page objects. The newest "
        "record of every object is kept, and so is all history of objects still awaiting a "
        "decision (pending, waitlisted, open). The only way history is pruned; safe to run again. "
        "Also erases residents' names and phones from requests closed or turned down more than "
        "RESIDENT_CONTACT_RETENTION_DAYS ago (default 1095 days, three years)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count, per model")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="keep this many days instead of HISTORY_RETENTION_DAYS",
        )

    def handle(self, *args, dry_run=False, days=None, **options):
        days = retention_days() if days is None else days
        if days < 1:
            raise CommandError("--days must be at least 1.")
        before = timezone.now() - datetime.timedelta(days=days)
        counts = history_prune(before=before, dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        for label, count in counts.items():
            if count or dry_run:
                self.stdout.write(f"{label}: {count}")
        self.stdout.write(
            f"History before {before:%Y-%m-%d}: {verb} {sum(counts.values())} row(s)."
        )
        erased = resident_contacts_erase(dry_run=dry_run)
        verb = "would erase" if dry_run else "erased"
        self.stdout.write(
            f"Residents' contact details older than {resident_contact_retention_days()} days: "
            f"{verb} on {erased} request(s)."
        )
