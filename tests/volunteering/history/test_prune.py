"""`manage.py prune_history`: the only way history is pruned. Rows older than
HISTORY_RETENTION_DAYS go, except each object's newest row and anything about an object still
awaiting a decision; --dry-run only counts; a second run deletes nothing more."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from tests import factories
from volunteering.reporting.models import Report
from volunteering.reporting.services import report_confirm, report_create

LONG_AGO = timezone.now() - datetime.timedelta(days=6 * 365)


def age(obj, when=LONG_AGO) -> None:
    """Make all of `obj`'s history (rows and log entries) as old as `when`."""
    obj.history.update(history_date=when)
    ModelLogEntry.objects.filter(object_id=str(obj.pk)).update(timestamp=when)


@pytest.fixture
def decided(site_tree, staff):
    """A report confirmed long ago: two old history rows (submitted, confirmed)."""
    report = report_create(
        member=factories.MemberFactory(), community=site_tree.community, kind="voluntary"
    )
    report = report_confirm(report=report, by=staff)
    age(report)
    return report


@pytest.fixture
def pending(site_tree):
    """A report still awaiting the community's decision, with two old history rows."""
    report = report_create(
        member=factories.MemberFactory(), community=site_tree.community, kind="voluntary"
    )
    report.note = "补充说明"
    report.save()
    age(report)
    return report


def prune(*args) -> str:
    out = StringIO()
    call_command("prune_history", *args, stdout=out)
    return out.getvalue()


def test_old_rows_go_but_each_object_keeps_its_newest(decided):
    assert decided.history.count() == 2
    prune()
    [kept] = decided.history.all()
    assert kept.state == Report.State.CONFIRMED


def test_objects_awaiting_a_decision_keep_all_their_history(pending):
    prune()
    assert pending.history.count() == 2


def test_recent_history_is_kept(site_tree, staff):
    report = report_create(
        member=factories.MemberFactory(), community=site_tree.community, kind="voluntary"
    )
    report_confirm(report=report, by=staff)
    prune()
    assert report.history.count() == 2


def test_dry_run_counts_per_model_and_deletes_nothing(decided, pending):
    output = prune("--dry-run")
    assert "volunteering.HistoricalReport: 1" in output
    assert "would delete" in output
    assert decided.history.count() == 2


def test_a_second_run_deletes_nothing_more(decided, pending):
    first = prune()
    assert "volunteering.HistoricalReport: 1" in first
    second = prune()
    assert "deleted 0 row(s)" in second
    assert (decided.history.count(), pending.history.count()) == (1, 2)


def test_wagtail_log_entries_of_objects_keep_their_newest(decided, pending, staff):
    for obj in (decided, pending):
        log(obj, "wagtail.edit", user=staff)
        log(obj, "wagtail.edit", user=staff)
        age(obj)
    prune()
    assert ModelLogEntry.objects.filter(object_id=str(decided.pk)).count() == 1
    assert ModelLogEntry.objects.filter(object_id=str(pending.pk)).count() >= 2


def test_the_retention_comes_from_the_setting(site_tree, staff, settings):
    report = report_create(
        member=factories.MemberFactory(), community=site_tree.community, kind="voluntary"
    )
    report_confirm(report=report, by=staff)
    age(report, timezone.now() - datetime.timedelta(days=40))
    settings.HISTORY_RETENTION_DAYS = 60
    prune()
    assert report.history.count() == 2
    settings.HISTORY_RETENTION_DAYS = 30
    prune()
    assert report.history.count() == 1
