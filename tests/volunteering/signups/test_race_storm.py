"""A storm of sign-ups on PostgreSQL (issue 12's attack suite): 220 members press "报名" through
the API at the same moment for an activity of 20 places. Exactly 20 are approved, the other 200
waitlisted, nobody twice, and every sign-up has its history record and its audit log entry.

The 220 threads are released together by a barrier and each sends `POST
/api/v1/activities/{id}/signups` with its own member's token. Like the application servers in
production, they share a bounded number of database connections (`POOL`, under PostgreSQL's
default of 100 connections, which other tests and workers share): the requests queue for a
connection, then for the activity's row lock, as they would behind gunicorn's workers."""

import threading
from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import close_old_connections, connection, connections
from django.test import Client
from wagtail.models import ModelLogEntry

from portal.api_auth import api_token_issue
from tests import factories
from volunteering.signups.models import SignUp
from workflows.audit import TRANSITION_ACTION

RACERS = 220
PLACES = 20
POOL = 30

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a real row-lock race needs PostgreSQL (SQLite runs write transactions one by one)",
)


def storm(activity, tokens: list[str]) -> tuple[Counter, list]:
    """POST a sign-up with each token from its own thread, all released at once; returns the
    statuses answered and anything that went wrong."""
    barrier = threading.Barrier(len(tokens))
    pool = threading.BoundedSemaphore(POOL)
    statuses, failures = Counter(), []
    lock = threading.Lock()
    url = f"/api/v1/activities/{activity.pk}/signups"

    def run(token):
        client = Client(headers={"Authorization": f"Bearer {token}"})
        try:
            barrier.wait(timeout=60)
            with pool:
                try:
                    response = client.post(url, data="", content_type="application/json")
                finally:
                    connections.close_all()
            with lock:
                statuses[response.status_code] += 1
                if response.status_code != 201:
                    failures.append(response.content[:200])
        except Exception as exc:  # noqa: BLE001 - every failure is reported by the test
            with lock:
                failures.append(repr(exc))

    threads = [threading.Thread(target=run, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a sign-up never finished"
    close_old_connections()
    return statuses, failures


@postgres_only
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_220_members_storming_20_places_get_20_places_and_200_waitlisted(site_tree):
    activity = factories.ActivityPageFactory(parent=site_tree.community, capacity=PLACES)
    members = factories.MemberFactory.create_batch(RACERS)
    tokens = [api_token_issue(user=member.user)[1] for member in members]

    statuses, failures = storm(activity, tokens)

    assert failures == []
    assert statuses == {201: RACERS}
    signups = SignUp.objects.filter(activity=activity)
    states = Counter(signups.values_list("state", flat=True))
    assert states == {"approved": PLACES, "waitlisted": RACERS - PLACES}
    per_member = Counter(signups.values_list("member_id", flat=True))
    assert set(per_member) == {m.pk for m in members}
    assert set(per_member.values()) == {1}
    # First come, first served: the places went to the earliest in the queue.
    ordered = list(signups.order_by("queued_at", "pk").values_list("state", flat=True))
    assert set(ordered[:PLACES]) == {"approved"}
    assert_history_and_audit(signups)


def assert_history_and_audit(signups) -> None:
    """Each sign-up: one history record of its creating transition, by its member, and one
    audit log entry of it."""
    by_signup = {s.pk: s for s in signups.select_related("member")}
    history = SignUp.history.filter(id__in=by_signup).values_list(
        "id", "history_transition", "history_target_state", "history_user_id"
    )
    records = Counter(row[0] for row in history)
    assert records == dict.fromkeys(by_signup, 1)
    for pk, transition, target, user_id in history:
        signup = by_signup[pk]
        assert (transition, target) == (f"submit_{signup.state}", signup.state)
        assert user_id == signup.member.user_id
    logged = Counter(
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(SignUp),
            action=TRANSITION_ACTION,
            object_id__in=[str(pk) for pk in by_signup],
        ).values_list("object_id", flat=True)
    )
    assert logged == {str(pk): 1 for pk in by_signup}
