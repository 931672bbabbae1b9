"""The portal app (门户)."""

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户")

    def ready(self):
        from wagtail.images import get_image_model

        from portal import (
            addresses,
            date_range,
            history_manager,
            id_choices,
            page_cache_receivers,
            page_explorer,
            page_tree_cache,
            translation_memo,
            view_restrictions,
            widget_data,
        )

        history_manager.install()
        # A string's translation looked up once per process and language (translation_memo.py).
        translation_memo.install()
        # Model choice fields refuse ids no column holds (SQLite's OverflowError: id_choices.py).
        id_choices.install()
        # Date-and-time fields refuse a year UTC cannot hold (OverflowError: date_range.py).
        date_range.install()
        # Posted data a widget cannot read (a StreamField's counts, Draftail's JSON) is a 400.
        widget_data.install()

        # After every migrate (deployments run it), the default Site follows PORTAL_BASE_URL.
        post_migrate.connect(
            addresses.sync_default_site, sender=self, dispatch_uid="portal_sync_default_site"
        )
        page_cache_receivers.connect()
        # `.public()` reads the view restrictions from the cache (portal/view_restrictions.py).
        view_restrictions.install()
        # Small reads of the page tree (menu, counts) kept until it changes (page_tree_cache.py).
        page_tree_cache.connect()
        # Wagtail's page router reads a page's type from the tree's cache (page_explorer.py).
        page_explorer.install()
        # The cached site settings hold their share image: forgotten when an image is deleted.
        post_delete.connect(_forget_settings, sender=get_image_model(), dispatch_uid="settings:img")


def _forget_settings(**kwargs):
    from portal.models import PortalSettings

    PortalSettings.forget_cached()
