"""The figures kept fresh by one queued task (volunteering.figures.freshness, .tasks): a save
queues a recompute instead of computing, a burst queues one, the task stores the right values,
and the request path serves the cached (or stale) figures without computing them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from volunteering.figures import freshness
from volunteering.figures.selectors import figures, figures_by_area, figures_trend
from volunteering.figures.tasks import recompute_figures
from volunteering.reporting.models import Report


@pytest.fixture
def queued(settings):
    """Tasks recorded instead of run; returns a function listing the queued recomputes."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import task_backends

    backend = task_backends["default"]
    backend.clear()
    return lambda: [r for r in backend.results if r.task.name == recompute_figures.name]


def confirmed_report(community):
    return factories.ReportFactory(community=community, state=Report.State.CONFIRMED)


def figure_queries(captured) -> list[str]:
    """The figures' aggregates: every one counts with COUNT(…) FILTER (WHERE …)."""
    sqls = [q if isinstance(q, str) else q["sql"] for q in captured]
    return [sql for sql in sqls if "COUNT(" in sql and "FILTER" in sql]


def test_a_save_queues_one_recompute_after_the_commit_and_computes_nothing(
    site_tree, queued, django_capture_on_commit_callbacks
):
    assert figures().members_reported == 0
    with django_capture_on_commit_callbacks(execute=True):
        with CaptureQueriesContext(connection) as captured:
            confirmed_report(site_tree.community)
    assert figure_queries(captured) == []
    assert len(queued()) == 1
    assert figures().members_reported == 0  # stale until the task runs: served, not computed
    assert recompute_figures.call() == 1  # the one scope read so far
    assert figures().members_reported == 1


def test_a_burst_of_saves_queues_one_recompute(
    site_tree, queued, django_capture_on_commit_callbacks
):
    figures()
    for _n in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            confirmed_report(site_tree.community)
    assert len(queued()) == 1
    recompute_figures.call()
    with django_capture_on_commit_callbacks(execute=True):  # the task ran: the next change queues
        confirmed_report(site_tree.other_community)
    assert len(queued()) == 2


def test_the_task_recomputes_every_scope_read_with_the_right_values(
    site_tree, queued, django_capture_on_commit_callbacks
):
    assert figures().members_reported == 0
    assert figures(community=site_tree.community).members_reported == 0
    assert figures_trend(county=site_tree.county)[-1].figures.members_reported == 0
    with django_capture_on_commit_callbacks(execute=True):
        confirmed_report(site_tree.community)
        confirmed_report(site_tree.other_community)
    assert recompute_figures.call() == 3
    assert figures().members_reported == 2
    assert figures(community=site_tree.community).members_reported == 1
    assert figures_trend(county=site_tree.county)[-1].figures.members_reported == 2


def test_a_scope_whose_page_is_gone_is_no_longer_recomputed(site_tree, queued):
    figures(community=site_tree.other_community)
    site_tree.other_community.unpublish()
    assert recompute_figures.call() == 0
    assert freshness.registered_scopes() == []


def _statistics_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/statistics/").status_code == 200
    return [q["sql"] for q in captured]


def test_the_statistics_page_computes_nothing_when_warm_nor_after_a_change(
    client, site_tree, queued, django_capture_on_commit_callbacks
):
    confirmed_report(site_tree.community)
    client.get("/statistics/")  # cold: computed once, under the lock
    warm = _statistics_queries(client)
    assert figure_queries(warm) == []
    with django_capture_on_commit_callbacks(execute=True):
        confirmed_report(site_tree.community)
    assert len(queued()) == 1
    stale = _statistics_queries(client)
    assert figure_queries(stale) == [] and len(stale) == len(warm), "\n".join(stale)
    assert len(queued()) == 1  # already queued: the stale read queues nothing more
    assert client.get("/api/v1/stats").json()["figures"]["members_reported"] == 1  # stale
    recompute_figures.call()
    assert client.get("/api/v1/stats").json()["figures"]["members_reported"] == 2
    assert figure_queries(_statistics_queries(client)) == []


def test_a_value_past_its_age_is_served_and_recomputed(site_tree, queued, monkeypatch):
    figures()
    queued_before = len(queued())
    monkeypatch.setattr(freshness, "FIGURES_CACHE_SECONDS", -1)
    with CaptureQueriesContext(connection) as captured:
        assert figures().members_reported == 0
    assert figure_queries(captured) == []
    assert len(queued()) == queued_before + 1


def test_the_version_and_the_signal_tell_a_page_cache_the_figures_changed(site_tree, queued):
    seen = []

    def receiver(version, **kwargs):
        seen.append(version)

    freshness.figures_changed.connect(receiver)
    try:
        figures()
        before = freshness.figures_version()
        recompute_figures.call()
        assert freshness.figures_version() == before + 1
        assert seen == [before + 1]
    finally:
        freshness.figures_changed.disconnect(receiver)


def test_a_cold_read_waits_for_the_one_computing_it(site_tree, monkeypatch):
    scope = freshness.Scope("figures")
    from django.core.cache import cache

    cache.add(scope.key + ":lock", True)  # another worker is computing
    calls = []

    def sleep(_seconds):  # the other worker finishes while we wait
        freshness.store(scope, lambda: "theirs", 0)

    monkeypatch.setattr(freshness.time, "sleep", sleep)
    assert freshness.read(scope, lambda: calls.append(1) or "ours") == "theirs"
    assert calls == []


def test_the_figures_are_counted_by_the_database_alone(site_tree, django_assert_num_queries):
    """No per-row Python function (SQLite's django_datetime_trunc and kin, which Django registers
    for Trunc/Extract and __date lookups): months are cutoffs compared in SQL on both engines."""
    confirmed_report(site_tree.community)
    with CaptureQueriesContext(connection) as captured:
        figures_trend()
        figures_by_area()
    assert captured.captured_queries
    assert not [
        q["sql"]
        for q in captured
        if "django_" in q["sql"].lower().replace("django_content_type", "")
    ]
