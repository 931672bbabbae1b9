"""`manage.py restore FILE --yes`: replace the database and the media with a backup's
(portal.backups, docs/deployment.md). The whole archive is checked before anything changes."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal import backups


class Command(BaseCommand):
    help = "Restore the database and the media directory from a backup made by `backup`."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The archive written by `manage.py backup`.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Replace the current database and media without asking.",
        )
        parser.add_argument("--database", default="default", help="The database alias.")

    def handle(self, *args, file: Path, yes: bool = False, database: str = "default", **options):
        if not yes:
            if not self.stdin_is_a_terminal():
                raise CommandError(_("恢复会替换当前的全部数据和媒体文件：确认无误请加 --yes。"))
            answer = input(_("恢复会替换当前的全部数据和媒体文件。输入 yes 继续：")).strip()
            if answer != "yes":
                raise CommandError(_("已取消，没有改动任何数据。"))
        try:
            result = backups.restore_backup(file, alias=database)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(f"{name} {n}" for name, n in result["counts"].items())
        manifest = result["manifest"]
        self.stdout.write(
            self.style.SUCCESS(
                _("已从 %(file)s（%(created)s）恢复：%(counts)s")
                % {
                    "file": file,
                    "created": manifest.get("created", ""),
                    "counts": counts,
                }
            )
        )
        if manifest.get("media") != backups.MEDIA_DIR:
            self.stdout.write(_("媒体文件在对象存储中，未随备份恢复（由对象存储的版本功能保管）。"))

    @staticmethod
    def stdin_is_a_terminal() -> bool:
        import sys

        return sys.stdin.isatty()
