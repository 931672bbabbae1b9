"""Measure the live figures with few and with many members: the statistics page (city, county,
community), the API and the display screen, cold (cache cleared before every request: the
figures computed, as only a scope's very first read does), warm (from the cache) and stale (after
a change: the stale figures served while the recompute is queued, which the request must not
run), and the time the one recompute task takes for every scope read.

Run with `.venv/bin/python bench/figures.py` (MEMBERS=29145, the city, and ROUNDS=5 by
default). It builds a throw-away SQLite database (or uses DATABASE_URL) with the demo content,
measures, adds MEMBERS members' worth of the city (`load_demo --scale MEMBERS`: reports,
residents' items, activities and the rest in the city's proportions), and measures again. The
query counts should not change; times are printed, never asserted."""

import os
import statistics
import time

import setup_django  # noqa: F401  (sets Django up; before any model import)
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from volunteering.communities.models import CommunityPage, CountyPage
from volunteering.figures.freshness import mark_changed
from volunteering.figures.selectors import invalidate_figures
from volunteering.figures.tasks import recompute_figures
from volunteering.reporting.models import Report

MEMBERS = int(os.environ.get("MEMBERS", "29145"))  # the city
ROUNDS = int(os.environ.get("ROUNDS", "5"))
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def build_demo() -> None:
    call_command("migrate", verbosity=0)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        call_command("load_demo", force=True, verbosity=0)


def add_members(count: int) -> None:
    """The city's data in proportion to `count` members (`load_demo --scale`, docs/city-scale.md):
    the same rows every other measure of the city reads."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        call_command("load_demo", scale=str(count), verbosity=0)
    invalidate_figures()


def measure(client: Client, url: str, *, before=None) -> tuple[float, int]:
    times = []
    for _ in range(ROUNDS + 1):
        if before:
            before()
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times[1:]) * 1000, len(queries)


def stale() -> None:
    """A change to counted rows: what a save does, the recompute queued but not yet run."""
    mark_changed()


def report(client: Client, label: str) -> None:
    county = CountyPage.objects.live().order_by("path").first()
    community = CommunityPage.objects.live().order_by("path").first()
    urls = [
        "/statistics/",
        f"/statistics/?county={county.pk}",
        f"/statistics/?community={community.pk}",
        "/api/v1/stats",
        "/screen/",
        "/",
    ]
    members = Report.objects.filter(state=Report.State.CONFIRMED).count()
    print(f"\n{label}: {connection.vendor}, {members} confirmed reports, {ROUNDS} rounds")
    print(f"{'url':32} {'cold ms':>8} {'q':>3} {'warm ms':>8} {'q':>3} {'stale ms':>8} {'q':>3}")
    client.get("/")  # fill the process's own caches (content types, site)
    with override_settings(TASKS=DUMMY_TASKS):  # recomputes queued, never run by a request
        for url in urls:
            cold_ms, cold_q = measure(client, url, before=cache.clear)
            warm_ms, warm_q = measure(client, url)
            stale_ms, stale_q = measure(client, url, before=stale)
            print(
                f"{url:32} {cold_ms:8.1f} {cold_q:3d} {warm_ms:8.1f} {warm_q:3d}"
                f" {stale_ms:8.1f} {stale_q:3d}"
            )
        for url in urls:
            client.get(url)  # every scope read once: the task recomputes them all
        start = time.perf_counter()
        stored = recompute_figures.call()
        print(
            f"the recompute task: {stored} scopes in {(time.perf_counter() - start) * 1000:.0f} ms"
        )


def main() -> None:
    build_demo()
    client = Client()
    report(client, "demo data")
    start = time.perf_counter()
    add_members(MEMBERS)
    print(f"\nadded {MEMBERS} members in {time.perf_counter() - start:.1f} s")
    report(client, f"with {MEMBERS} more members")


if __name__ == "__main__":
    main()
