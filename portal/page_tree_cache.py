"""Small reads of the page tree that many pages repeat, kept in the shared cache until the tree
changes: the main menu (every page), the activity listing every community page links to, the
number of news in a channel (its pagination). Each was a query on every request; the menu's and
the count's read the whole page table at city scale.

`tree_cached(name, compute)` keeps `compute()`'s answer under the tree's version. The version is
replaced, now and again when the transaction commits (an answer read meanwhile is not kept),
whenever a page is saved (a draft too: cheap, and safe), published, unpublished, moved or
deleted, or a view restriction changes (`.public()` answers differ then), or a site (the page
explorer's site filter, `portal.page_explorer`); the city's bulk load
(`load_demo --scale`), which writes pages without Wagtail's signals, calls `forget()` itself.
Entries also expire after TREE_CACHE_SECONDS, the bound for any other write without signals
(a queryset `update()` of pages)."""

import uuid

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "pagetree:version"
TREE_CACHE_SECONDS = 600


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY, "")
    return version


def tree_cached(name: str, compute):
    """`compute()` (picklable; None allowed) for the current page tree, from the shared cache."""
    key = f"pagetree:{_version()}:{name}"
    found = cache.get(key)
    if found is None:
        found = (compute(),)
        cache.set(key, found, TREE_CACHE_SECONDS)
    return found[0]


def forget() -> None:
    """The tree changed: every process reads it again (now, and after the commit)."""
    _new_version()
    transaction.on_commit(_new_version)


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _changed(sender=None, **kwargs) -> None:
    forget()


def connect() -> None:
    """Called from PortalConfig.ready, when every page model is known: the save and delete
    receivers listen to the page models, view restrictions and sites only, not to every write."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import PageViewRestriction, Site, get_page_models
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for model in [*get_page_models(), PageViewRestriction, Site]:
        label = model._meta.label_lower
        post_save.connect(_changed, sender=model, dispatch_uid=f"pagetree:saved:{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"pagetree:deleted:{label}")
    page_published.connect(_changed, dispatch_uid="pagetree:published")
    page_unpublished.connect(_changed, dispatch_uid="pagetree:unpublished")
    post_page_move.connect(_changed, dispatch_uid="pagetree:moved")
