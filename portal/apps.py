"""The portal app (门户)."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户")

    def ready(self):
        from portal import addresses, history_manager, page_cache_receivers

        history_manager.install()

        # After every migrate (deployments run it), the default Site follows PORTAL_BASE_URL.
        post_migrate.connect(
            addresses.sync_default_site, sender=self, dispatch_uid="portal_sync_default_site"
        )
        page_cache_receivers.connect()
