"""Write pending news view counts from the cache to the database. Run it from cron, e.g.

*/5 * * * *  cd /srv/portal && .venv/bin/python manage.py flush_page_views --verbosity 0
"""

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from news.services import page_views_flush


class Command(BaseCommand):
    help = _("把缓存中待写入的新闻浏览量写入数据库（可重复运行，不会重复计数）。")

    def handle(self, *args, **options):
        if isinstance(caches["default"], LocMemCache) and options["verbosity"] > 0:
            # A local-memory cache lives inside each process: this command cannot see the counts
            # the web server holds. Production sets REDIS_URL.
            self.stderr.write(
                _("注意：当前缓存为进程内存缓存，本命令看不到网站进程中的待写入浏览量。")
            )
        moved = page_views_flush()
        if options["verbosity"] > 0:
            self.stdout.write(_("已写入 %(count)d 次浏览。") % {"count": moved})
