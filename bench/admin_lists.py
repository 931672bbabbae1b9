"""Measure the staff admin lists (sign-ups, reports, members, residents' items, good deeds, the
activities' pages) for community staff (`staff`, 麒麟社区) and the city (`admin`) on an existing
database with the demo loaded (`manage.py load_demo`, and `--scale city` for the city's data):
median ms over ROUNDS requests, and queries, with the time split into SQL and the rest
(rendering, forms, Python).

    DATABASE_URL=postgres://…/demo .venv/bin/python bench/admin_lists.py
    DATABASE_URL=postgres://…/city .venv/bin/python bench/admin_lists.py

Run it on both and compare (issue 11: city ≤ 1.2× demo, the same query count). Times are
printed, never asserted."""

import os
import statistics
import time

import setup_django  # noqa: F401  (sets Django up; before any model import)
from django.contrib.auth import get_user_model
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

ROUNDS = int(os.environ.get("ROUNDS", "7"))
USERS = os.environ.get("USERS", "staff,admin").split(",")
LISTS = {
    "sign-ups": reverse("volunteering_signup:index"),
    "reports": reverse("volunteering_report:index"),
    "members": reverse("volunteering_member:index"),
    "residents' items": reverse("volunteering_feedback:index"),
    "good deeds": reverse("volunteering_gooddeed:index"),
}


def measure(client, path) -> tuple[float, float, int]:
    times, sql_times, counts = [], [], []
    client.get(path)  # warm
    for _round in range(ROUNDS):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        sql_times.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        counts.append(len(captured))
        reset_queries()
    return statistics.median(times), statistics.median(sql_times), max(counts)


def main() -> None:
    print(f"{connection.settings_dict['NAME']}: median of {ROUNDS}")
    for username in USERS:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        for name, path in LISTS.items():
            ms, sql_ms, queries = measure(client, path)
            sql = f"(SQL {sql_ms:6.1f} ms)"
            print(f"  {username:6} {name:17} {ms:7.1f} ms  {sql}  {queries:3} queries")


if __name__ == "__main__":
    main()
