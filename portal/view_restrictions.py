"""Wagtail's view restrictions (private sections of the tree), read from the shared cache.

Wagtail's `PageQuerySet.public()` reads every `PageViewRestriction` each time it is called (its
`private_q`), and serving a page reads its ancestors' (`Page.get_view_restrictions`). A public
page that lists news, brand projects, channels and activities paid a query for each, on every
request, for a table that is nearly always empty and changes a few times a year.

Here both read one list of (id, path, depth) of the restricted pages, kept in the shared cache
under a version and in each request's memo (`RequestRestrictionsMiddleware`), so `.public()` and
serving cost no query for it. The Q that `.public()` builds is Wagtail's own, from the same rows;
`get_view_restrictions` stays a queryset (of the ids that cover the page: none, and no query,
when nothing does).

A restriction saved or deleted, or a page moved (its restriction's paths move with it), replaces
the version at once and again when its transaction commits: every process reads the table again
on its next use, and a list read before the commit is not used after it. Entries also expire
after CACHE_SECONDS. Outside a request (commands, tasks, the shell) the same cached list is used,
without the memo."""

import uuid
from contextvars import ContextVar
from typing import NamedTuple

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from wagtail.models import Page
from wagtail.query import PageQuerySet

VERSION_KEY = "portal:view-restrictions:version"
CACHE_SECONDS = 300

_memo: ContextVar[dict | None] = ContextVar("portal_view_restrictions", default=None)
_wagtail_private_q = PageQuerySet.private_q
_wagtail_get_view_restrictions = Page.get_view_restrictions


class Restricted(NamedTuple):
    """A restriction and the path and depth of its page (what `descendant_of_q` reads)."""

    pk: int
    path: str
    depth: int


class RequestRestrictionsMiddleware:
    """Keeps the list read once for the whole request, whatever the cache does meanwhile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)


def restrictions() -> list[Restricted]:
    """Every view restriction: from this request's memo, else the shared cache, else the table."""
    memo = _memo.get()
    if memo is not None and "restrictions" in memo:
        return memo["restrictions"]
    found = _cached()
    if memo is not None:
        memo["restrictions"] = found
    return found


def _cached() -> list[Restricted]:
    from wagtail.models import PageViewRestriction

    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    key = f"portal:view-restrictions:{version}"
    found = cache.get(key)
    if found is None:
        found = [
            Restricted(r.pk, r.page.path, r.page.depth)
            for r in PageViewRestriction.objects.select_related("page").order_by("pk")
        ]
        cache.set(key, found, CACHE_SECONDS)
    return found


def private_q(self) -> Q:
    """`PageQuerySet.private_q`, Wagtail's Q built from the cached list."""
    q = Q()
    for restricted in restrictions():
        q |= self.descendant_of_q(restricted, inclusive=True)
    return q if q else Q(pk__in=[])


def get_view_restrictions(self):
    """`Page.get_view_restrictions`: the restrictions of the page and its ancestors (checked
    before serving it), as a queryset of the ids the cached list gives for its path."""
    from wagtail.models import PageViewRestriction

    if not self.path:
        return _wagtail_get_view_restrictions(self)
    ids = [r.pk for r in restrictions() if self.path.startswith(r.path)]
    return PageViewRestriction.objects.filter(pk__in=ids)


def forget(**kwargs) -> None:
    """A restriction saved or deleted, or a page moved: a new version now (this process reads
    the change at once) and again when it commits (a list another process read before the
    commit, and stored under the first new version, is not read again)."""
    _new_version()
    transaction.on_commit(_new_version)
    memo = _memo.get()
    if memo is not None:
        memo.clear()


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def install() -> None:
    """Called from PortalConfig.ready."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import PageViewRestriction
    from wagtail.signals import post_page_move

    PageQuerySet.private_q = private_q
    Page.get_view_restrictions = get_view_restrictions
    post_save.connect(forget, sender=PageViewRestriction, dispatch_uid="view_restrictions:save")
    post_delete.connect(forget, sender=PageViewRestriction, dispatch_uid="view_restrictions:del")
    post_page_move.connect(forget, dispatch_uid="view_restrictions:moved")
