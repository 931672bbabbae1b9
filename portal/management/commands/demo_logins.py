"""`manage.py demo_logins`: the table of demo accounts that `make run` prints."""

import unicodedata

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal import demo
from portal.addresses import absolute_url


class Command(BaseCommand):
    help = "Print the demo logins (username, role, password) and the admin URL (PORTAL_BASE_URL)."

    def handle(self, *args, **options):
        existing = set(
            get_user_model()
            .objects.filter(username__in=[u.username for u in demo.DEMO_USERS])
            .values_list("username", flat=True)
        )
        if not existing:
            self.stdout.write(_("还没有演示账号：请先运行 make demo。"))
            return
        self.stdout.write(_("后台地址：%(url)s") % {"url": absolute_url("/admin/")})
        self.stdout.write(f"  {_pad(_('用户名'))}{_pad(_('密码'))}{_('角色')}")
        for user in demo.DEMO_USERS:
            if user.username in existing:
                self.stdout.write(f"  {_pad(user.username)}{_pad(demo.DEMO_PASSWORD)}{user.role}")


def _pad(text: str, width: int = 12) -> str:
    """Pad to `width` terminal columns; Chinese characters take two."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))
    return f"{text}{' ' * max(width - columns, 1)}"
