"""A sign-up through the API stays cheap at crowd speed (issue 11, point 5): one request
authenticates the token (with the member), finds and locks the public activity, reads the
places held and the member's own sign-up, writes the sign-up with its history row and audit
entry, and queues its email after the commit, in at most 10 queries (docs/api.md)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from wagtail.models import ModelLogEntry

from tests import factories
from tests.volunteering.api_support import as_
from volunteering.signups.models import SignUp

MAX_SIGNUP_QUERIES = 10
# Transactional (the commit and what runs after it are part of the count), rolled back to the
# migrated data as the race tests are, so tests after it still find the page tree's root.
# Production's task backend: the email is a row queued after the commit, sent by the worker.
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _sign_up_counting(client, activity):
    with CaptureQueriesContext(connection) as captured:
        response = client.post(f"/activities/{activity.pk}/signups")
    return response, captured.captured_queries


def _listed(queries) -> str:
    """The queries, numbered, for the failure message (what to look at when the bound breaks)."""
    return "\n".join(f"{n:2}. {q['sql'][:160]}" for n, q in enumerate(queries, 1))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_api_signup_takes_at_most_10_queries_and_queues_its_email(site_tree, member, settings):
    settings.TASKS = DATABASE_TASKS
    warm_up, activity = (
        factories.ActivityPageFactory(parent=site_tree.community, capacity=5) for _i in range(2)
    )
    client = as_(member.user)
    # A client that signed in before (its token's last use is recorded at most once an hour)
    # and a process that has served a request (content types and site paths cached).
    assert client.post(f"/activities/{warm_up.pk}/signups").status_code == 201

    response, queries = _sign_up_counting(client, activity)

    assert response.status_code == 201, response.content
    assert len(queries) <= MAX_SIGNUP_QUERIES, _listed(queries)
    signup = SignUp.objects.get(activity=activity, member=member)
    assert signup.state == SignUp.State.APPROVED
    assert response.json()["activity"]["url"] == "http://testserver" + activity.url
    # The history row, the audit entry, and the email queued (not sent) for the worker.
    assert signup.history.get().history_transition == "submit_approved"
    assert ModelLogEntry.objects.for_instance(signup).get().data["scope"] == site_tree.community.pk
    assert DBTaskResult.objects.filter(args_kwargs__args__0="signup_approved").count() == 2
    assert not any("reference" in q["sql"] for q in queries)
    if connection.vendor == "postgresql":  # SQLite has no row locks (its writes queue instead)
        # Every sign-up to the activity waits for its lock, held to the commit: the locking
        # statement reads two values, the page itself was read before it.
        (locking,) = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
        assert '"capacity"' in locking and '"title"' not in locking, _listed(queries)

    # A waitlisted sign-up (the places are full) and a repeat (200, the same sign-up) too.
    full = factories.ActivityPageFactory(parent=site_tree.community, capacity=1)
    as_(factories.MemberFactory().user).post(f"/activities/{full.pk}/signups")
    response, queries = _sign_up_counting(client, full)
    assert response.json()["status"] == "waitlisted"
    assert len(queries) <= MAX_SIGNUP_QUERIES, _listed(queries)
    again, queries = _sign_up_counting(client, full)
    assert again.status_code == 200
    assert again.json()["id"] == response.json()["id"]
    assert len(queries) <= MAX_SIGNUP_QUERIES, _listed(queries)


@pytest.mark.django_db
def test_what_decides_a_sign_up_is_read_again_under_the_lock(site_tree, monkeypatch):
    """Staff close sign-ups while a crowd signs up through the API: a sign-up that read the
    activity before the change and took the lock after it sees the change."""
    from datetime import timedelta

    from django.utils import timezone

    from volunteering import errors
    from volunteering.signups import services

    activity = factories.ActivityPageFactory(parent=site_tree.community, capacity=5)
    member = factories.MemberFactory()
    finds = services._PREPARED_FINDS
    real_rows = None

    def read_then_close(among):
        prepared = finds[among]
        nonlocal real_rows
        real_rows = real_rows or prepared.rows

        def rows(**kwargs):
            found = real_rows(**kwargs)  # the page as it was
            type(activity).objects.filter(pk=activity.pk).update(
                signup_closes_at=timezone.now() - timedelta(minutes=1)
            )
            return found

        monkeypatch.setattr(prepared, "rows", rows)

    among = type(activity).objects.live
    services.signup_create(activity=activity.pk, member=factories.MemberFactory(), among=among)
    read_then_close(among)
    with pytest.raises(errors.ServiceError) as refused:
        services.signup_create(activity=activity.pk, member=member, among=among)
    assert refused.value.message == errors.SIGNUP_CLOSED
