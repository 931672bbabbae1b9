"""`manage.py load_demo`: the demo site, re-runnable, never with production settings."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import demo
from portal.demo import city
from portal.demo.seed import SeedError, default_seed_dir

REFUSED_WITHOUT_DEBUG = gettext_lazy(
    "DEBUG 已关闭：演示数据会创建密码公开的账号，默认不加载。确需加载请加 --force。"
)
REFUSED_IN_PRODUCTION = gettext_lazy("生产环境配置下不能加载演示数据（演示账号的密码是公开的）。")
PRODUCTION_SETTINGS = "portal.settings.production"
BAD_SCALE = gettext_lazy(
    "--scale 应为 city（全市规模，%(city)d 名党员）或 %(min)d 到 %(max)d 之间的党员人数，"
    "而不是“%(value)s”。"
)
CITY_ALREADY_LOADED = gettext_lazy(
    "全市规模数据已经加载过（%(members)d 名城市党员），未重复加载。要换一个规模，请使用新的数据库。"
)
CITY_LOADED = gettext_lazy("全市规模数据已加载：%(counts)s，用时 %(seconds).1f 秒。")


def parse_scale(value: str) -> int:
    """`city` or a number of members within the limits; a CommandError otherwise."""
    text = str(value).strip().lower()
    members = city.CITY_MEMBERS if text == "city" else None
    if members is None and text.isdigit():
        members = int(text)
    if members is None or not city.MIN_MEMBERS <= members <= city.MAX_MEMBERS:
        raise CommandError(
            BAD_SCALE
            % {
                "city": city.CITY_MEMBERS,
                "min": city.MIN_MEMBERS,
                "max": city.MAX_MEMBERS,
                "value": value,
            }
        )
    return members


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
        parser.add_argument(
            "--scale",
            default=None,
            help="Then build the report's whole city on top of the demo: 'city' (29,145 "
            "members, 256 communities, 2,050 activities, 3,000 news items, …) or a number of "
            "members, every other count in proportion (docs/city-scale.md).",
        )

    def handle(self, *args, seed: Path | None = None, force: bool = False, scale=None, **options):
        if settings.SETTINGS_MODULE == PRODUCTION_SETTINGS:
            raise CommandError(REFUSED_IN_PRODUCTION)
        if not settings.DEBUG and not force:
            raise CommandError(REFUSED_WITHOUT_DEBUG)
        members = parse_scale(scale) if scale is not None else None
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
        if members is not None:
            self.load_city(members)

    def load_city(self, members: int) -> None:
        loaded = city.city_members_loaded()
        if loaded:
            self.stdout.write(self.style.WARNING(CITY_ALREADY_LOADED % {"members": loaded}))
            return
        started = time.perf_counter()
        counts = city.load_city(members=members, write=self.stdout.write)
        city.tidy_after_load()
        self.stdout.write(
            self.style.SUCCESS(
                CITY_LOADED
                % {
                    "counts": "，".join(f"{name} {count}" for name, count in counts.items()),
                    "seconds": time.perf_counter() - started,
                }
            )
        )
