import datetime

from django.core.management import call_command
from django.utils import timezone

from news.models import NewsPage, NewsPageDailyViews
from tests import factories


def test_one_round_publishes_what_is_due_and_expires_what_is_over(client, site_tree):
    due = factories.NewsPageFactory(parent=site_tree.news, title="定时发布的新闻", publish=False)
    due.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    due.save_revision().publish()  # scheduled, not live yet
    due.refresh_from_db()
    assert not due.live
    assert client.get(f"/news/{due.slug}/").status_code == 404

    over = factories.NewsPageFactory(parent=site_tree.news, title="到期下线的新闻")
    NewsPage.objects.filter(pk=over.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    # Let the hour pass: the scheduled revision's time is now.
    revision = due.get_latest_revision()
    past = timezone.now() - datetime.timedelta(seconds=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save()

    call_command("run_periodic", once=True)

    due.refresh_from_db()
    over.refresh_from_db()
    assert due.live and not over.live
    assert client.get(f"/news/{due.slug}/").status_code == 200
    assert client.get(f"/news/{over.slug}/").status_code == 404


def test_one_round_flushes_view_counts(client, site_tree):
    from django.core.cache import cache

    from news.viewcache import FLUSH_THROTTLE_KEY

    page = factories.NewsPageFactory(parent=site_tree.news)
    cache.set(FLUSH_THROTTLE_KEY, 1, 600)  # as if a flush had just run: the view stays pending
    client.get(page.url, HTTP_USER_AGENT="Mozilla/5.0 (iPhone)")
    assert not NewsPageDailyViews.objects.filter(page=page).exists()

    call_command("run_periodic", once=True)

    assert NewsPageDailyViews.objects.get(page=page).count == 1


def test_a_failing_job_does_not_stop_the_others(site_tree, monkeypatch):
    from portal.management.commands import run_periodic

    ran = []

    def fake_call_command(name, **kwargs):
        ran.append(name)
        if name == "publish_scheduled":
            raise RuntimeError("boom")

    monkeypatch.setattr(run_periodic, "call_command", fake_call_command)
    call_command("run_periodic", once=True)
    assert ran == [name for name, _every in run_periodic.JOBS]


def test_two_schedulers_in_the_same_period_run_each_job_once(monkeypatch):
    """Two app servers, each with its scheduler, wake up together: every job runs once."""
    import threading
    import time

    from portal.management.commands import run_periodic

    ran = []
    start = threading.Barrier(2)

    def slow_job(name, **kwargs):
        time.sleep(0.05)  # both schedulers are inside the same minute's work at once
        ran.append(name)

    monkeypatch.setattr(run_periodic, "call_command", slow_job)
    now = time.time()
    monkeypatch.setattr(run_periodic.time, "time", lambda: now)

    def scheduler():
        start.wait()
        call_command("run_periodic", once=True)

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(ran) == sorted(name for name, _every in run_periodic.JOBS)

    # The next period (a minute later), the minutely jobs run again, the hourly and daily ones
    # only if that minute began a new hour or day.
    monkeypatch.setattr(run_periodic.time, "time", lambda: now + 60)
    ran.clear()
    call_command("run_periodic", once=True)
    call_command("run_periodic", once=True)
    minutely = [name for name, every in run_periodic.JOBS if every == 60]
    longer_due = [n for n, e in run_periodic.JOBS if e > 60 and (now + 60) // e != now // e]
    assert sorted(ran) == sorted(minutely + longer_due)


def test_without_its_cache_a_scheduler_runs_nothing(monkeypatch):
    from portal.management.commands import run_periodic

    ran = []
    monkeypatch.setattr(run_periodic, "call_command", lambda name, **kw: ran.append(name))

    def unreachable(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(run_periodic.cache, "add", unreachable)
    call_command("run_periodic", once=True)
    assert ran == []


def test_a_job_still_running_elsewhere_is_not_started_beside_it(monkeypatch):
    """A slow minutely job on one scheduler overruns into the next minute: another scheduler,
    which claims that minute, does not start it twice; once it ends, it runs again."""
    import time

    from django.core.cache import cache

    from portal.management.commands import run_periodic

    ran = []
    monkeypatch.setattr(run_periodic, "call_command", lambda name, **kw: ran.append(name))
    now = time.time()
    monkeypatch.setattr(run_periodic.time, "time", lambda: now)
    cache.set("periodic:publish_scheduled:running", "other-host:1234", 600)  # running there

    call_command("run_periodic", once=True)

    assert "publish_scheduled" not in ran and "flush_page_views" in ran
    assert cache.get("periodic:publish_scheduled:running") == "other-host:1234"  # not ours
    assert cache.get("periodic:flush_page_views:running") is None  # ours, released

    cache.delete("periodic:publish_scheduled:running")  # it ended
    monkeypatch.setattr(run_periodic.time, "time", lambda: now + 60)
    ran.clear()
    call_command("run_periodic", once=True)
    assert "publish_scheduled" in ran
