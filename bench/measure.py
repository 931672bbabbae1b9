"""The in-process phase's measuring: every public page type, the staff admin lists and the main
API endpoints, each requested ROUNDS times through Django's test client (no server, no network:
the portal's own work), with the median and 95th percentile of the times and the queries of one
more request. Used by `bench/inprocess.py` on a built database and by tests/bench."""

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

# issue 11, point 3: every page's query count at most 15 and equal at both scales.
MAX_QUERIES = 15


@dataclass
class Probe:
    """One thing to measure. `request(n)` gives the client call's keyword arguments for the n-th
    request (a sign-up needs a new member each time); by default a GET of `url`."""

    name: str
    kind: str  # page | admin | api
    url: str
    user: str = ""  # "" anonymous, else the username signed in (admin lists)
    method: str = "get"
    expect: tuple[int, ...] = (200,)
    request: Callable[[int], dict] | None = field(default=None, repr=False)

    def kwargs(self, n: int) -> dict:
        return self.request(n) if self.request else {"path": self.url}


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile (p in 0–100) of `values`."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def measure(probe: Probe, rounds: int, clients: dict[str, Client]) -> dict:
    """Times of `rounds` requests after one warm-up (the process's own caches: content types,
    site root paths, templates), then the queries of one more. The cache is left as it is: what
    a running server has, a page's figures cached after its first request."""
    client = clients[probe.user]
    call = getattr(client, probe.method)
    statuses = set()
    n = 0

    def one():
        nonlocal n
        response = call(**probe.kwargs(n))
        n += 1
        statuses.add(response.status_code)
        return response

    one()
    times = []
    for _round in range(rounds):
        start = time.perf_counter()
        one()
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as captured:
        one()
    bad = sorted(s for s in statuses if s not in probe.expect)
    return {
        "name": probe.name,
        "kind": probe.kind,
        "url": probe.url,
        "user": probe.user,
        "method": probe.method.upper(),
        "rounds": rounds,
        "queries": len(captured.captured_queries),
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 95), 2),
        "statuses": sorted(statuses),
        "error": f"unexpected status {bad}" if bad else "",
    }


def measure_all(probes: list[Probe], rounds: int, *, log=print) -> list[dict]:
    from django.contrib.auth import get_user_model

    users = {p.user for p in probes if p.user}
    clients = {"": Client()}
    for username in users:
        clients[username] = Client()
        clients[username].force_login(get_user_model().objects.get(username=username))
    results = []
    for probe in probes:
        result = measure(probe, rounds, clients)
        log(
            f"  {probe.name:34} {result['queries']:4d} q {result['median_ms']:8.1f} ms "
            f"p95 {result['p95_ms']:8.1f} {result['error']}"
        )
        results.append(result)
    return results
