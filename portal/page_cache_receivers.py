"""Forget the cached pages (`portal.page_cache`) when what public pages show changes: a page
published, unpublished, moved or deleted, or anything the portal's apps store saved or deleted
(activities' sign-ups and their places left, letters made public, residents' voice, the service
menu, site settings, snippets…), but their bookkeeping. Also images and documents.

A site-wide version is replaced rather than the pages that show a thing found out: a news item
is listed on its channel, the home page, its communities' pages and the feeds, and a sign-up
changes the places left on the activity, the listings and the calendar. Writes are rare beside
reads; each costs the next visitor of each page one miss.

The version is replaced at once (a request later in the same transaction sees the change) and
again after the commit (a request racing the transaction may have stored the old page). The
figures' recompute task, which runs after the writes that made them stale, replaces it once more
when it has stored the new values (`figures_changed`)."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from portal import page_cache
from volunteering.figures.freshness import figures_changed

WATCHED_APPS = frozenset({"portal", "news", "volunteering", "wagtailimages", "wagtaildocs"})
# Bookkeeping no public page shows: counters, codes, deliveries, history rows, API tokens.
IGNORED_MODELS = frozenset(
    {
        "news.newspagedailyviews",
        "portal.apitoken",
        "portal.loginfailure",  # else a flood of wrong passwords would empty the page cache
        "volunteering.onetimecode",
        "volunteering.passwordresetemail",
        "volunteering.invitation",
        "volunteering.delivery",
        "volunteering.staffalerts",
        "volunteering.reportreminder",
        "wagtailimages.rendition",
    }
)


def _bump(**kwargs) -> None:
    if not settings.PAGE_CACHE_ENABLED:  # nothing to forget (development, the suite)
        return
    page_cache.bump()
    transaction.on_commit(page_cache.bump)


def is_watched(model) -> bool:
    meta = model._meta
    if meta.app_label not in WATCHED_APPS or meta.label_lower in IGNORED_MODELS:
        return False
    return not meta.object_name.startswith("Historical")


def _saved(sender, instance, created=False, **kwargs) -> None:
    # A page's save is also a draft's: pages count when published (the signals below). A site's
    # settings are created, with their defaults, by the first page that reads them.
    if not is_watched(sender) or isinstance(instance, Page):
        return
    if created and isinstance(instance, (BaseSiteSetting, BaseGenericSetting)):
        return
    _bump()


def _deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page) or is_watched(sender):
        _bump()


def connect() -> None:
    post_save.connect(_saved, dispatch_uid="page_cache:saved")
    post_delete.connect(_deleted, dispatch_uid="page_cache:deleted")
    page_published.connect(_bump, dispatch_uid="page_cache:published")
    page_unpublished.connect(_bump, dispatch_uid="page_cache:unpublished")
    post_page_move.connect(_bump, dispatch_uid="page_cache:moved")
    # The figures' task stored new values (volunteering.figures.freshness): the pages showing
    # them (home, communities, statistics) are rendered again with them, not after their expiry.
    figures_changed.connect(_bump, dispatch_uid="page_cache:figures")
