"""Measure how long the public pages take with demo content plus many news items.

Run with `make bench` (optionally NEWS=2000 ROUNDS=30). It builds a throw-away SQLite
database (or uses DATABASE_URL), so it never touches your development data. Times are
printed, never asserted: tests assert query counts, this measures seconds."""

import os
import statistics
import time

import setup_django  # noqa: F401  (sets Django up; before any model import)
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.models import NewsIndexPage, NewsPage
from volunteering.activities.models import ActivityPage

NEWS = int(os.environ.get("NEWS", "500"))
ROUNDS = int(os.environ.get("ROUNDS", "20"))


def build() -> None:
    call_command("migrate", verbosity=0)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        call_command("load_demo", force=True, verbosity=0)
    channel = NewsIndexPage.objects.get(slug="news", depth=3)  # the city's channel
    for n in range(NEWS):
        page = NewsPage(
            title=f"基准测试新闻 {n}",
            date=timezone.now() - timezone.timedelta(hours=n),
            body=[("paragraph", "<p>社区开展法律援助和便民服务活动。</p>" * 5)],
        )
        channel.add_child(instance=page)


def measure(client: Client, url: str) -> tuple[float, int]:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times) * 1000, len(queries)


def main() -> None:
    build()
    client = Client()
    report = NewsPage.objects.live().order_by("date").first()
    activity = ActivityPage.objects.live().order_by("starts_at").first()
    urls = [
        "/",
        "/news/",
        "/news/?page=3",
        report.url,
        "/search/?q=法律援助",
        "/sitemap.xml",
        "/activities/",
        activity.url,
        "/api/v1/activities",
    ]
    print(f"{connection.vendor}, {NewsPage.objects.count()} news pages, {ROUNDS} rounds")
    print(f"{'url':48} {'median ms':>10} {'queries':>8}")
    for url in urls:
        ms, queries = measure(client, url)
        print(f"{url:48} {ms:10.1f} {queries:8d}")


if __name__ == "__main__":
    main()
