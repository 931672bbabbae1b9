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


class Runner:
    """One probe's requests in one process: `time(k)` k more timed requests (the first call
    warms up first: the process's own caches, content types, site root paths, templates),
    `result()` the queries of one more request and the summary. The cache is left as it is:
    what a running server has, a page's figures cached after its first request. Times may be
    taken in several batches (bench/run.py interleaves two scales' batches)."""

    def __init__(self, probe: Probe, client: Client):
        self.probe = probe
        self.call = getattr(client, probe.method)
        self.statuses: set[int] = set()
        self.times: list[float] = []
        self.n = 0

    def one(self):
        response = self.call(**self.probe.kwargs(self.n))
        self.n += 1
        self.statuses.add(response.status_code)
        return response

    def time(self, rounds: int) -> list[float]:
        if self.n == 0:
            self.one()
        batch = []
        for _round in range(rounds):
            start = time.perf_counter()
            self.one()
            batch.append((time.perf_counter() - start) * 1000)
        self.times += batch
        return batch

    def result(self) -> dict:
        with CaptureQueriesContext(connection) as captured:
            response = self.one()
        answer = summary(self.probe, self.times, len(captured.captured_queries), self.statuses)
        # A list shows fewer rows at demo scale than a full page at city scale: the size tells.
        answer["bytes"] = len(getattr(response, "content", b""))
        return answer


def summary(probe: Probe, times: list[float], queries: int, statuses) -> dict:
    bad = sorted(s for s in statuses if s not in probe.expect)
    return {
        "name": probe.name,
        "kind": probe.kind,
        "url": probe.url,
        "user": probe.user,
        "method": probe.method.upper(),
        "rounds": len(times),
        "queries": queries,
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 95), 2),
        "statuses": sorted(statuses),
        "error": f"unexpected status {bad}" if bad else "",
    }


def measure(probe: Probe, rounds: int, clients: dict[str, Client]) -> dict:
    """Times of `rounds` requests after one warm-up, then the queries of one more."""
    runner = Runner(probe, clients[probe.user])
    runner.time(rounds)
    return runner.result()


def log_line(result: dict) -> str:
    return (
        f"  {result['name']:34} {result['queries']:4d} q {result['median_ms']:8.1f} ms "
        f"p95 {result['p95_ms']:8.1f} {result['error']}"
    )


def signed_in_clients(probes: list[Probe]) -> dict[str, Client]:
    from django.contrib.auth import get_user_model

    clients = {"": Client()}
    for username in {p.user for p in probes if p.user}:
        clients[username] = Client()
        clients[username].force_login(get_user_model().objects.get(username=username))
    return clients


def measure_all(probes: list[Probe], rounds: int, *, log=print) -> list[dict]:
    clients = signed_in_clients(probes)
    results = []
    for probe in probes:
        result = measure(probe, rounds, clients)
        log(log_line(result))
        results.append(result)
    return results
