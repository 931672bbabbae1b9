"""`manage.py load_demo`: the demo site, re-runnable, never with production settings."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import demo
from portal.demo.seed import SeedError, default_seed_dir

REFUSED_WITHOUT_DEBUG = gettext_lazy(
    "DEBUG 已关闭：演示数据会创建密码公开的账号，默认不加载。确需加载请加 --force。"
)
REFUSED_IN_PRODUCTION = gettext_lazy("生产环境配置下不能加载演示数据（演示账号的密码是公开的）。")
PRODUCTION_SETTINGS = "portal.settings.production"


class Command(BaseCommand):
    help = "Load the demo site: pages, the seed report, a brand project, groups and demo users."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=Path,
            default=None,
            help="Folder of seed reports (default: shared/seed beside the project, else the "
            "bundled copy).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Load even though settings.DEBUG is off."
        )

    def handle(self, *args, seed: Path | None = None, force: bool = False, **options):
        if settings.SETTINGS_MODULE == PRODUCTION_SETTINGS:
            raise CommandError(REFUSED_IN_PRODUCTION)
        if not settings.DEBUG and not force:
            raise CommandError(REFUSED_WITHOUT_DEBUG)
        try:
            summary = demo.load_demo(seed_dir=seed or default_seed_dir())
        except SeedError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("演示数据已就绪：%(news)d 条新闻，%(communities)d 个社区，%(users)d 个演示账号。")
                % {
                    "news": len(summary.news),
                    "communities": len(summary.communities),
                    "users": len(summary.users),
                }
            )
        )
