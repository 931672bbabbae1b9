"""View counting: in the cache on the hot path, moved to the database by a flush."""

import datetime
import io
import time
import types
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news import services
from news.models import NewsPageDailyViews
from news.selectors import page_view_counts
from news.services import page_view_record, page_views_flush
from news.viewcache import PENDING_DAYS, pending_key
from tests import factories
from tests.news.helpers import BROWSER, visit

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.fixture
def page(site_tree):
    return factories.NewsPageFactory(parent=site_tree.news, title="社区开展义诊活动")


def shown(response) -> tuple[int, int]:
    """Views today and in total, as the page shows them."""
    views = response.context["views"]
    assert f"<strong data-views-today>{views['today']}</strong>" in response.content.decode()
    return views["today"], views["total"]


def written(page) -> int:
    return sum(NewsPageDailyViews.objects.filter(page=page).values_list("count", flat=True))


def pending(page, day=None) -> int:
    return cache.get(pending_key(page.pk, day or timezone.localdate()), 0)


def test_a_view_is_counted_and_shown_on_the_page(client, page):
    assert shown(visit(client, page)) == (1, 1)


def test_views_wait_in_the_cache_and_are_shown_before_they_are_written(client, page):
    visit(client, page, address="198.51.100.1")
    response = visit(client, page, address="198.51.100.2")
    assert shown(response) == (2, 2)
    assert written(page) == 0
    assert pending(page) == 2


def test_counting_a_view_writes_nothing_to_the_database(
    client, page, django_capture_on_commit_callbacks
):
    """The first view may start the throttled flush; the next visitor's view only reads."""
    with django_capture_on_commit_callbacks(execute=True):
        visit(client, page, address="198.51.100.1")
    assert written(page) == 1  # the flush task ran (ImmediateBackend) and moved the first view

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with CaptureQueriesContext(connection) as queries:
            response = visit(client, page, address="198.51.100.2")
    sql = [q["sql"] for q in queries.captured_queries]
    writes = [q for q in sql if q.lstrip().upper().startswith(WRITES)]
    assert writes == []
    assert callbacks == []  # the flush is throttled: no second task within the window
    assert shown(response) == (2, 2)
    assert (written(page), pending(page)) == (1, 1)


def test_a_reload_by_the_same_visitor_counts_once(client, page):
    visit(client, page)
    visit(client, page)
    assert shown(visit(client, page)) == (1, 1)


def test_a_different_visitor_counts(client, page):
    visit(client, page, address="198.51.100.1")
    visit(client, page, address="198.51.100.2")
    visit(client, page, address="198.51.100.2", agent=BROWSER + " Edg/120.0")
    assert pending(page) == 3


def test_visitors_behind_a_proxy_are_told_apart_by_the_forwarded_address(client, page, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    visit(client, page, address="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    visit(client, page, address="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    visit(client, page, address="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert pending(page) == 2


def test_a_forged_forwarded_address_makes_no_new_visitor(client, page):
    visit(client, page, address="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    visit(client, page, address="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert pending(page) == 1


@pytest.mark.usefixtures("locmem_cache")  # its clock is moved
def test_the_same_visitor_counts_again_after_the_dedup_window(client, page, settings):
    visit(client, page)
    later = time.time() + settings.NEWS_VIEW_DEDUP_SECONDS + 1
    with mock.patch(
        "django.core.cache.backends.locmem.time", types.SimpleNamespace(time=lambda: later)
    ):
        visit(client, page)
    assert pending(page) == 2


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36",
        "python-requests/2.32",
        "curl/8.5.0",
        "",
    ],
)
def test_bots_are_not_counted(client, page, agent):
    response = visit(client, page, agent=agent)
    assert response.status_code == 200
    assert pending(page) == 0


def test_a_preview_is_not_counted(page):
    browser_request = RequestFactory().get("/", HTTP_USER_AGENT=BROWSER)
    response = page.make_preview_request(original_request=browser_request, preview_mode="")
    assert response.status_code == 200
    assert pending(page) == 0


def test_a_request_marked_as_preview_is_not_counted(page):
    request = RequestFactory().get(page.url, HTTP_USER_AGENT=BROWSER)
    request.is_preview = True
    assert page_view_record(page=page, request=request) is False
    assert pending(page) == 0


def test_only_get_requests_count(client, page):
    client.head(page.url, REMOTE_ADDR="198.51.100.1", HTTP_USER_AGENT=BROWSER)
    assert pending(page) == 0


def test_flush_moves_pending_views_to_the_database_once(client, page):
    for n in range(3):
        visit(client, page, address=f"198.51.100.{n}")
    assert page_views_flush() == 3
    row = NewsPageDailyViews.objects.get(page=page)
    assert (row.day, row.count) == (timezone.localdate(), 3)
    assert pending(page) == 0
    assert page_views_flush() == 0  # idempotent
    assert written(page) == 3
    assert page_view_counts(page=page) == {"today": 3, "total": 3}


def test_flush_adds_to_what_is_already_written(client, page):
    NewsPageDailyViews.objects.create(page=page, day=timezone.localdate(), count=10)
    visit(client, page)
    assert page_views_flush() == 1
    assert written(page) == 11


def test_views_counted_during_a_flush_stay_pending(client, page, monkeypatch):
    visit(client, page, address="198.51.100.1")
    write_counts = services._write_counts

    def slow_write(counts):
        visit(client, page, address="198.51.100.2")  # a reader arrives mid-flush
        return write_counts(counts)

    monkeypatch.setattr(services, "_write_counts", slow_write)
    assert page_views_flush() == 1
    assert (written(page), pending(page)) == (1, 1)
    assert page_view_counts(page=page) == {"today": 2, "total": 2}


def test_two_flushes_at_once_never_write_a_view_twice(client, page, monkeypatch):
    for n in range(4):
        visit(client, page, address=f"198.51.100.{n}")
    claim = services._claim
    raced = []

    def claim_after_another_flush(key, seen):
        if not raced:  # another flush (cron) read the same counts and gets there first
            raced.append(True)
            assert page_views_flush() == 4
        return claim(key, seen)

    monkeypatch.setattr(services, "_claim", claim_after_another_flush)
    assert page_views_flush() == 0
    assert (written(page), pending(page)) == (4, 0)


def test_claiming_takes_no_more_than_is_pending():
    key = pending_key(1, datetime.date(2024, 5, 1))
    cache.set(key, 5)
    assert services._claim(key, 5) == 5
    cache.incr(key)  # one new view
    assert services._claim(key, 5) == 1  # read 5 earlier; only 1 is there now
    assert cache.get(key) == 0


def test_a_failed_write_gives_the_views_back(client, page, monkeypatch):
    visit(client, page)

    def broken(counts):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_write_counts", broken)
    with pytest.raises(RuntimeError):
        page_views_flush()
    assert pending(page) == 1
    monkeypatch.undo()
    assert page_views_flush() == 1
    assert written(page) == 1


def test_flush_writes_earlier_days_that_were_not_flushed_yet(page):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    week_ago = today - datetime.timedelta(days=PENDING_DAYS)
    cache.set(pending_key(page.pk, yesterday), 4)
    cache.set(pending_key(page.pk, week_ago), 2)
    cache.set(pending_key(page.pk, today), 1)
    assert page_view_counts(page=page) == {"today": 1, "total": 7}
    assert page_views_flush(today=today) == 7
    rows = dict(NewsPageDailyViews.objects.filter(page=page).values_list("day", "count"))
    assert rows == {week_ago: 2, yesterday: 4, today: 1}
    assert page_view_counts(page=page) == {"today": 1, "total": 7}


def test_page_shows_written_and_pending_views(client, page):
    today = timezone.localdate()
    NewsPageDailyViews.objects.create(page=page, day=today, count=5)
    NewsPageDailyViews.objects.create(page=page, day=today - datetime.timedelta(days=40), count=20)
    assert shown(visit(client, page)) == (6, 26)


def test_flush_command(client, page):
    visit(client, page, address="198.51.100.1")
    visit(client, page, address="198.51.100.2")
    out = io.StringIO()
    call_command("flush_page_views", stdout=out, stderr=io.StringIO())
    assert "2" in out.getvalue()
    assert written(page) == 2
    call_command("flush_page_views", stdout=io.StringIO(), stderr=io.StringIO())
    assert written(page) == 2
