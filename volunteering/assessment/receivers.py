"""Keeps the cached list of this year's demonstration communities (示范点,
`volunteering.assessment.selectors.demonstration_community_ids`) true: a designation saved or
withdrawn forgets it at once and again when it commits (a page that read the old rows meanwhile
does not keep them). Not a business rule, so it may live in a signal receiver."""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from volunteering.assessment.models import DemonstrationCommunity, demonstration_cache_key


def _forget(sender, instance, **kwargs):
    key = demonstration_cache_key(instance.year)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def connect() -> None:
    uid = "assessment:demonstrations"
    post_save.connect(_forget, sender=DemonstrationCommunity, dispatch_uid=uid + ":save")
    post_delete.connect(_forget, sender=DemonstrationCommunity, dispatch_uid=uid + ":delete")
