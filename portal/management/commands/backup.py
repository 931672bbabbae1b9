"""`manage.py backup [FILE]`: the database and the media in one .tar.gz (portal.backups,
docs/deployment.md)."""

from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal import backups


class Command(BaseCommand):
    help = "Back up the database and the media directory into one .tar.gz with a manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            type=Path,
            help="The archive to write (default: backups/portal-<time>.tar.gz).",
        )
        parser.add_argument("--database", default="default", help="The database alias.")

    def handle(self, *args, file: Path | None = None, database: str = "default", **options):
        file = file or Path("backups") / f"portal-{datetime.now():%Y%m%d-%H%M%S}.tar.gz"
        try:
            manifest = backups.create_backup(file, alias=database)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(f"{name} {n}" for name, n in manifest["counts"].items())
        self.stdout.write(
            self.style.SUCCESS(
                _("已备份到 %(file)s（%(counts)s）") % {"file": file, "counts": counts}
            )
        )
