"""The one rate-limit mechanism: uses counted in the cache, in a window that starts at the
first use and ends `window` seconds later (then the count starts again from nothing).

A `Limit` is declared once, as a module constant next to what it protects, and counts separately
for each combination of `parts` (an address, a username …). Counting is one `add` and one atomic
`incr`, so the cache must support atomic increments and be shared by every process: Redis in
production (see its settings); the local-memory cache of development counts per process. The
parts are hashed, so no address or username is stored in the cache in clear."""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    """At most `limit` uses per `window` seconds for each combination of parts; `scope` keeps
    the counters of different limits apart."""

    scope: str
    limit: int
    window: int  # seconds

    def key(self, *parts: str) -> str:
        joined = "\x1f".join(str(part) for part in parts)
        return f"ratelimit:{self.scope}:{hashlib.sha256(joined.encode()).hexdigest()}"

    def hit(self, *parts: str) -> bool:
        """Count one use; False once it is more than the limit allows in the current window."""
        return self._count_one(self.key(*parts)) <= self.limit

    def exceeded(self, *parts: str) -> bool:
        """Whether the limit is used up, without counting a use (for counting failures only)."""
        return self.count(*parts) >= self.limit

    def count(self, *parts: str) -> int:
        return cache.get(self.key(*parts), 0)

    def reset(self, *parts: str) -> None:
        cache.delete(self.key(*parts))

    def _count_one(self, key: str) -> int:
        cache.add(key, 0, timeout=self.window)  # the window starts at the first use
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr: this use opens a new window
            cache.set(key, 1, timeout=self.window)
            return 1
