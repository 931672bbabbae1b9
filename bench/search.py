"""Measure the search page at demo scale and at city scale, and print the ratio.

Run with `.venv/bin/python bench/search.py` (SQLite in a throw-away file) or with
`DATABASE_URL=postgres://…/<an empty database>` for PostgreSQL. It loads the demo content,
times `/search/?q=…` for a few queries (median of ROUNDS requests through Django's test client,
the query count, the number of hits), then adds NEWS news items (default 3000, the city's
number) with realistic Chinese text (Faker's zh_CN sentences; about 30% of them mention 法律援助,
some in the title, as the city's news do), indexes them in bulk and times the same queries again.
The target (docs/public-pages.md, "Search"): city ≤ 1.2 × demo, query counts equal. Times are
printed, never asserted."""

import os
import random
import statistics
import time

import setup_django  # noqa: F401  (sets Django up; before any model import)
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from faker import Faker
from modelsearch.backends import get_search_backend
from wagtail.models import Page

from news.models import NewsIndexPage, NewsPage

NEWS = int(os.environ.get("NEWS", "3000"))
ROUNDS = int(os.environ.get("ROUNDS", "15"))
QUERIES = ["法律援助", "社区服务", "志愿", "垃圾分类 宣传", "legal aid"]
# Phrases the city's news are about: one of them goes into most items, so a query finds many.
TOPICS = ["法律援助", "社区服务", "志愿服务", "垃圾分类", "文明城市", "便民服务", "关爱老人"]


def build_demo() -> None:
    call_command("migrate", verbosity=0)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        call_command("load_demo", force=True, verbosity=0)


def news_text(fake: Faker, rng: random.Random) -> tuple[str, str]:
    topic = rng.choice(TOPICS)
    paragraphs = [fake.paragraph(nb_sentences=rng.randint(3, 8)) for _ in range(rng.randint(2, 6))]
    if rng.random() < 0.3:  # ~30% mention 法律援助 somewhere in the body
        spot = rng.randrange(len(paragraphs))
        paragraphs[spot] = paragraphs[spot][:20] + "法律援助" + paragraphs[spot][20:]
    paragraphs.insert(rng.randrange(len(paragraphs)), f"{fake.sentence()}{topic}{fake.sentence()}")
    title = f"{fake.city_name()}{topic}{fake.word()}" if rng.random() < 0.3 else fake.sentence()
    return title[:60], "".join(f"<p>{p}</p>" for p in paragraphs)


@override_settings(
    WAGTAILSEARCH_BACKENDS={"default": {"BACKEND": "portal.search.backend", "AUTO_UPDATE": False}}
)
def add_news(count: int) -> None:
    """`count` news items under the city's channel, indexed in one bulk call at the end (as
    `update_index` does) rather than one by one."""
    fake, rng = Faker("zh_CN"), random.Random(11)
    Faker.seed(11)
    channel = NewsIndexPage.objects.get(slug="news", depth=3)
    pages = []
    with transaction.atomic():
        for n in range(count):
            title, body = news_text(fake, rng)
            page = NewsPage(
                title=title,
                slug=f"city-news-{n}",
                date=timezone.now() - timezone.timedelta(hours=n),
                body=[("paragraph", body)],
            )
            pages.append(channel.add_child(instance=page))
    backend = get_search_backend()
    backend.add_bulk(NewsPage, pages)


def measure(client: Client, q: str) -> tuple[float, int, int]:
    url = f"/search/?q={q}"
    client.get(url)  # warm the process's caches (site, content types)
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    hits = Page.objects.live().public().search(q).count()
    return statistics.median(times) * 1000, len(queries), hits


def run(client: Client) -> dict[str, tuple[float, int, int]]:
    return {q: measure(client, q) for q in QUERIES}


def main() -> None:
    if not os.environ.get("REUSE"):
        build_demo()
    client = Client()
    demo = run(client)
    demo_news = NewsPage.objects.count()
    start = time.perf_counter()
    if not os.environ.get("REUSE"):
        add_news(NEWS)
        print(f"added {NEWS} news items in {time.perf_counter() - start:.1f} s")
    city = run(client)
    print(
        f"\n{connection.vendor}: demo {demo_news} news items, city {NewsPage.objects.count()},"
        f" {ROUNDS} rounds (median ms)"
    )
    columns = f"{'ms':>8} {'q':>3} {'hits':>5}"
    print(f"{'query':16} {'demo':>8}{columns[8:]} {'city':>8}{columns[8:]} {'×':>6}")
    worst = 0.0
    for q in QUERIES:
        (d_ms, d_q, d_hits), (c_ms, c_q, c_hits) = demo[q], city[q]
        ratio = c_ms / d_ms
        worst = max(worst, ratio)
        print(
            f"{q:16} {d_ms:8.1f} {d_q:3d} {d_hits:5d} {c_ms:8.1f} {c_q:3d} {c_hits:5d} {ratio:6.2f}"
        )
    print(f"worst ratio {worst:.2f} (target ≤ 1.2)")


if __name__ == "__main__":
    main()
