"""Residents' contact details are erased by the yearly `prune_history` run once a request has
been closed or turned down for longer than RESIDENT_CONTACT_RETENTION_DAYS: from the request
and from its history; open and recent requests keep them; --dry-run only counts."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests import factories
from volunteering.voice.models import Feedback
from workflows.statemachine import record_actor

DAY = datetime.timedelta(days=1)


def request(community, *, state, days_ago, name):
    feedback = factories.FeedbackFactory(
        community=community, state=state, name=name, phone="13900001111"
    )
    record_actor(feedback, by=None)
    feedback.text += "。"
    feedback.save()  # a second history row, which also holds the contact
    Feedback.objects.filter(pk=feedback.pk).update(state_changed_at=timezone.now() - days_ago * DAY)
    return feedback


@pytest.fixture
def requests(community, settings):
    settings.RESIDENT_CONTACT_RETENTION_DAYS = 1095
    return {
        "old_closed": request(community, state="closed", days_ago=1200, name="张大爷"),
        "old_rejected": request(community, state="rejected", days_ago=1100, name="刘阿姨"),
        "recent_closed": request(community, state="closed", days_ago=30, name="赵先生"),
        "old_but_open": request(community, state="accepted", days_ago=2000, name="钱女士"),
    }


def run(*args) -> str:
    out = StringIO()
    call_command("prune_history", *args, stdout=out)
    return out.getvalue()


def contact(feedback) -> tuple:
    feedback.refresh_from_db()
    names = set(feedback.history.values_list("name", "phone"))
    return feedback.name, feedback.phone, names


def test_dry_run_counts_and_changes_nothing(requests):
    out = run("--dry-run")
    assert "would erase on 2 request(s)" in out
    assert contact(requests["old_closed"])[0] == "张大爷"


def test_old_finished_requests_lose_the_contact_everywhere(requests):
    out = run()
    assert "erased on 2 request(s)" in out
    for key in ("old_closed", "old_rejected"):
        name, phone, history = contact(requests[key])
        assert (name, phone) == ("", "") and history == {("", "")}, key
    # The request itself, its text and outcome stay.
    assert requests["old_closed"].text.startswith("建议") and requests["old_closed"].outcome
    for key, who in (("recent_closed", "赵先生"), ("old_but_open", "钱女士")):
        name, phone, history = contact(requests[key])
        assert name == who and phone == "13900001111" and (who, "13900001111") in history
    assert "erased on 0 request(s)" in run()


def test_the_period_is_a_setting(requests, settings):
    settings.RESIDENT_CONTACT_RETENTION_DAYS = 10
    assert "erased on 3 request(s)" in run()
