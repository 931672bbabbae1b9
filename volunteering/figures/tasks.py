"""The one task that recomputes the live figures (django-tasks; the worker runs it in production).
Queued, coalesced, by `volunteering.figures.freshness.request_recompute`."""

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django_tasks import task

from volunteering.figures.freshness import (
    QUEUED_KEY,
    STORED_VERSION_KEY,
    current_version,
    figures_changed,
    forget_scope,
    registered_scopes,
    store,
)
from volunteering.figures.selectors import compute_for


@task()
def recompute_figures() -> int:
    """Recompute every scope that has been read and store the values with the version this run
    started from; then bump the stored version and send `figures_changed`. Returns how many
    scopes were stored."""
    cache.delete(QUEUED_KEY)  # a change from now on queues the next run
    version = current_version()
    stored = 0
    for scope in registered_scopes():
        try:
            compute = compute_for(scope)
        except ObjectDoesNotExist:
            forget_scope(scope)
            continue
        store(scope, compute, version)
        stored += 1
    if not cache.add(STORED_VERSION_KEY, 1, timeout=None):
        cache.incr(STORED_VERSION_KEY)
    figures_changed.send(sender=None, version=cache.get(STORED_VERSION_KEY))
    return stored
