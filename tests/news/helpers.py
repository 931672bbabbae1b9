"""Helpers shared by the news tests."""

import datetime

from django.utils import timezone

from tests import factories

BROWSER = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40"
)


def at(*args) -> datetime.datetime:
    """An aware datetime in the portal's time zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime.datetime(*args))


def add_news(parent, count: int, *, start=None, publish: bool = False, **kwargs) -> list:
    """`count` live news pages under `parent`, one hour apart, oldest first. Without `publish`
    they are live but have no revision: fast enough to add hundreds."""
    start = start or at(2020, 1, 1, 8, 0)
    return [
        factories.NewsPageFactory(
            parent=parent, date=start + datetime.timedelta(hours=n), publish=publish, **kwargs
        )
        for n in range(count)
    ]


def visit(client, page, *, address="203.0.113.7", agent=BROWSER, **extra):
    """A reader's GET of a page, as a browser at `address`."""
    return client.get(page.url, REMOTE_ADDR=address, HTTP_USER_AGENT=agent, **extra)
