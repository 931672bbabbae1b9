"""How the live figures stay fresh without a request ever computing them at city scale.

Every figure read (`volunteering.figures.selectors`) is served from the shared cache (Redis in
production, so every app server and the worker see the same values). What changes them:

- **A change** to a counted row (`receivers.py`) bumps `VERSION_KEY` at once and, after the
  commit, asks for a recompute: ONE task (`tasks.recompute_figures`, django-tasks) that
  recomputes every scope that has been read (the registry `SCOPES_KEY`) and stores the values
  with the version it started from. Asking is coalesced by a cache `add` flag (`QUEUED_KEY`): a
  burst of saves queues one task; the task drops the flag as it starts, so a change made while it
  runs queues the next one.
- **A read** finds the value and serves it. If it is stale (stored at an older version, or older
  than `FIGURES_CACHE_SECONDS`, since activities start without any row changing) it is served
  all the same and a recompute is asked for (coalesced): no figure is computed on the request.
  When the task backend runs tasks at once (development, tests), the recompute has run by the
  time the read looks again, and the fresh value is served.
- **A cold read** (a scope never read since the cache was emptied) computes once, under a lock
  (`cache.add`); other readers of that scope wait for it (at most `COLD_WAIT_SECONDS`, then
  compute themselves rather than fail). After that the value is never dropped, only replaced.

For pages cached whole (the page cache), `figures_version()` is the version of the values now
stored: it changes only when the task has stored new values, and `figures_changed` is sent
(where the task runs) at that moment. docs/figures.md describes both.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.dispatch import Signal

FIGURES_CACHE_SECONDS = 300  # a value older than this is recomputed (served meanwhile)
VERSION_KEY = "figures:version"  # bumped by every change to counted rows
STORED_VERSION_KEY = "figures:stored-version"  # the version the last recompute stored
SCOPES_KEY = "figures:scopes"  # every scope read, for the task to recompute
QUEUED_KEY = "figures:recompute-queued"
QUEUED_SECONDS = 60  # if a queued task never runs (rolled back, lost), ask again after this
LOCK_SECONDS = 60
COLD_WAIT_SECONDS = 10

# Sent (keyword `version`) in the process that stored new figures, after storing them.
figures_changed = Signal()


@dataclass(frozen=True)
class Scope:
    """What one cached value is: `kind` ("figures", "trend", "areas") of the city, a county or
    a community (by page id)."""

    kind: str
    county: int | None = None
    community: int | None = None

    @property
    def key(self) -> str:
        return f"figures:value:{self.kind}:{self.county or ''}:{self.community or ''}"


@dataclass(frozen=True)
class Entry:
    version: int
    computed_at: float
    value: Any


def current_version() -> int:
    return cache.get(VERSION_KEY) or 0


def figures_version() -> int:
    """The version of the figures now stored: for keys of pages that show figures."""
    return cache.get(STORED_VERSION_KEY) or 0


def mark_changed() -> None:
    """Counted rows changed: every stored value is stale from now on."""
    if cache.add(VERSION_KEY, 1, timeout=None):
        return
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # evicted between the add and the incr
        cache.add(VERSION_KEY, 1, timeout=None)


def request_recompute() -> None:
    """Queue the recompute task unless one is queued already."""
    if cache.add(QUEUED_KEY, True, QUEUED_SECONDS):
        from volunteering.figures.tasks import recompute_figures

        recompute_figures.enqueue()


def _is_fresh(entry: Entry, version: int) -> bool:
    return entry.version >= version and time.time() - entry.computed_at <= FIGURES_CACHE_SECONDS


def read(scope: Scope, compute: Callable[[], Any]) -> Any:
    """The value of `scope`: stored, else computed once (see the module's docstring)."""
    found = cache.get_many([scope.key, VERSION_KEY])
    entry, version = found.get(scope.key), found.get(VERSION_KEY) or 0
    if entry is None:
        return _read_cold(scope, compute)
    if not _is_fresh(entry, version):
        request_recompute()
        entry = cache.get(scope.key, entry)  # recomputed already if tasks run at once
    return entry.value


def store(scope: Scope, compute: Callable[[], Any], version: int) -> Any:
    """Compute and store `scope`'s value as of `version` (read before computing, so a change
    made meanwhile leaves it stale), and register the scope for the recompute task."""
    value = compute()
    cache.set(scope.key, Entry(version, time.time(), value), timeout=None)
    scopes = cache.get(SCOPES_KEY) or frozenset()
    if scope not in scopes:
        cache.set(SCOPES_KEY, scopes | {scope}, timeout=None)
    return value


def registered_scopes() -> list[Scope]:
    return sorted(cache.get(SCOPES_KEY) or (), key=lambda scope: scope.key)


def forget_scope(scope: Scope) -> None:
    """A scope whose page is gone: no longer recomputed."""
    cache.delete(scope.key)
    scopes = cache.get(SCOPES_KEY) or frozenset()
    cache.set(SCOPES_KEY, scopes - {scope}, timeout=None)


def _read_cold(scope: Scope, compute: Callable[[], Any]) -> Any:
    lock = scope.key + ":lock"
    if cache.add(lock, True, LOCK_SECONDS):
        try:
            return store(scope, compute, current_version())
        finally:
            cache.delete(lock)
    deadline = time.monotonic() + COLD_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.05)
        entry = cache.get(scope.key)
        if entry is not None:
            return entry.value
    return compute()  # the computing reader died or is very slow: compute rather than fail
