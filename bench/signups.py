"""Measure the API sign-up (`POST /api/v1/activities/{id}/signups`, issue 11 point 5): ms per
sign-up through Django's test client, and the queries of each, with production's task backend
(the email is one queued row, written after the commit).

Run with `DATABASE_URL=postgres://… .venv/bin/python bench/signups.py` (an existing, empty
database; SQLite when not given). SIGNUPS=300 sign-ups by distinct members to ACTIVITIES=30
activities of 5 places each (so most are waitlisted: both paths are measured). PROFILE=1 prints
the cProfile's top functions by cumulative time; PROFILE=pyinstrument prints pyinstrument's tree
(requirements-dev). RECONNECT=1 opens a new connection for each sign-up (a server with
DATABASE_CONN_MAX_AGE=0); on PostgreSQL the backend's CPU per sign-up is printed too, and
QUERIES=… gives each statement's milliseconds. Production's settings: bench/SIGNUPS.md. Times
are printed, never asserted: compare runs on the same machine."""

import os
import statistics
import time

import setup_django  # noqa: F401  (sets Django up; before any model import)
from django.core.management import call_command
from django.db import connection, reset_queries
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from portal.api_auth import api_token_issue
from tests import factories

SIGNUPS = int(os.environ.get("SIGNUPS", "300"))
ACTIVITIES = int(os.environ.get("ACTIVITIES", "30"))
PROFILE = os.environ.get("PROFILE", "")
PROFILE_LINES = int(os.environ.get("PROFILE_LINES", "80"))
# RECONNECT=1: a new database connection for each sign-up, as a server opens one per request
# when connections are not kept (DATABASE_CONN_MAX_AGE=0).
RECONNECT = os.environ.get("RECONNECT", "") == "1"
PRODUCTION_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def build() -> tuple[list, list]:
    """The test suite's page tree, ACTIVITIES activities in one community and SIGNUPS members,
    each with an API token: (activity ids, authorization headers)."""
    call_command("migrate", verbosity=0)
    tree = factories.build_site_tree()
    activities = [
        factories.ActivityPageFactory(parent=tree.community, capacity=5).pk
        for _n in range(ACTIVITIES)
    ]
    headers = [
        {"Authorization": f"Bearer {api_token_issue(user=factories.MemberFactory().user)[1]}"}
        for _n in range(SIGNUPS + 1)
    ]
    return activities, headers


def sign_up(client, activity_id, header) -> int:
    response = client.post(f"/api/v1/activities/{activity_id}/signups", headers=header)
    assert response.status_code == 201, response.content
    return response


def _backend_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend (its /proc entry, on
    the same machine), or None (SQLite, another machine)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(activities, headers) -> None:
    client = Client()
    sign_up(client, activities[0], headers[-1])  # warm: content types, site root paths
    times, cpu, queries, backend = [], [], [], []
    profiler = _profiler()
    for n, header in enumerate(headers[:-1]):
        activity = activities[n % len(activities)]
        if RECONNECT:  # a new connection per request, as a server with CONN_MAX_AGE=0 opens
            connection.close()
            before = 0.0
        else:
            before = _backend_cpu()
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable() if hasattr(profiler, "enable") else profiler.start()
            sign_up(client, activity, header)
            if profiler:
                profiler.disable() if hasattr(profiler, "disable") else profiler.stop()
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        queries.append(len(captured))
        last = captured.captured_queries
        after = _backend_cpu()
        if after is not None and before is not None:
            backend.append((after - before) * 1000)
        reset_queries()
    times.sort()
    print(
        f"{connection.vendor}: {len(times)} sign-ups, median {statistics.median(times):.1f} ms, "
        f"p95 {times[int(len(times) * 0.95) - 1]:.1f} ms, mean {statistics.mean(times):.1f} ms, "
        f"{1000 / statistics.mean(times):.0f}/s in one process; this process's CPU (Python: "
        f"the database's work not included) median {statistics.median(cpu):.1f} ms; "
        f"queries {min(queries)}–{max(queries)}"
    )
    if backend:
        print(
            f"the PostgreSQL backend's CPU per sign-up (mean; clock ticks, so only the mean of "
            f"many counts): {statistics.mean(backend):.1f} ms"
            + (" (a new connection for each)" if RECONNECT else "")
        )
    if os.environ.get("QUERIES"):
        for n, query in enumerate(last, 1):
            sql = query["sql"][: int(os.environ["QUERIES"])]
            print(f"{n:2}. {float(query['time']) * 1000:6.2f} ms  {sql}")
    _report(profiler)


def _profiler():
    if PROFILE == "pyinstrument":
        from pyinstrument import Profiler

        return Profiler(interval=0.0005)
    if PROFILE:
        import cProfile

        return cProfile.Profile(time.process_time)  # CPU time: waiting for the database is not
    return None


def _package(filename: str) -> str:
    """The installed package a file belongs to, or its folder (the project's own packages)."""
    if "site-packages/" in filename:
        return filename.split("site-packages/")[-1].split("/")[0]
    return filename.split("/")[-2] if "/" in filename else filename


def _report(profiler) -> None:
    if profiler is None:
        return
    if PROFILE == "pyinstrument":
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        return
    import pstats

    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(PROFILE_LINES)
    stats.sort_stats("tottime").print_stats(PROFILE_LINES // 2)
    callers = os.environ.get("PROFILE_CALLERS")  # e.g. "_get_FIELD_display|from_queryset"
    if callers:
        stats.print_callers(callers)
    by_package = {}
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        package = _package(filename)
        by_package[package] = by_package.get(package, 0) + tottime
    print("own CPU time by package (s):")
    for package, seconds in sorted(by_package.items(), key=lambda kv: -kv[1])[:25]:
        print(f"  {seconds:7.3f}  {package}")


if __name__ == "__main__":
    with override_settings(TASKS=PRODUCTION_TASKS):
        measure(*build())
