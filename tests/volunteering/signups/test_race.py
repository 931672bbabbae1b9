"""Places are never oversold, however many members press the button at once.

Each thread has its own database connection and they all start together at a barrier. On
PostgreSQL the sign-up service serialises on a row lock of the activity; on SQLite write
transactions begin IMMEDIATE, so they run one at a time."""

import sqlite3
import threading
from collections import Counter
from contextlib import contextmanager

import pytest
from django.db import close_old_connections, connection, connections

from tests import factories
from volunteering.signups.models import SignUp
from volunteering.signups.services import signup_create

RACERS = 50
PLACES = 5
SAME_MEMBER_RACERS = 10

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a real row-lock race needs PostgreSQL (SQLite runs write transactions one by one)",
)
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite variant of the race"
)


def race(members, activity, *, database=None) -> tuple[list, list]:
    """Sign each of `members` up to `activity` from its own thread, all at once (on
    `database`, a settings dict, instead of the default connection's when given)."""
    wrapper_class = type(connections["default"])
    barrier = threading.Barrier(len(members))
    results, failures = [], []
    lock = threading.Lock()

    def run(member):
        if database is not None:
            connections["default"] = wrapper_class(database, alias="default")
        try:
            barrier.wait(timeout=30)
            signup, created = signup_create(activity=activity, member=member)
            with lock:
                results.append((signup.pk, signup.state, created))
        except Exception as exc:  # noqa: BLE001 - every failure is reported by the test
            with lock:
                failures.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(m,)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a sign-up never finished"
    close_old_connections()
    return results, failures


@pytest.fixture
def activity(site_tree):
    return factories.ActivityPageFactory(parent=site_tree.community, capacity=PLACES)


def assert_never_oversold(activity, members, results, failures):
    assert failures == []
    assert len(results) == len(members)
    states = Counter(SignUp.objects.filter(activity=activity).values_list("state", flat=True))
    assert states == {"approved": PLACES, "waitlisted": len(members) - PLACES}
    per_member = Counter(
        SignUp.objects.filter(activity=activity).values_list("member_id", flat=True)
    )
    assert set(per_member.values()) == {1}  # no duplicates
    assert Counter(state for _pk, state, _created in results) == states


@postgres_only
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_members_racing_for_five_places_never_oversell_them(activity):
    members = factories.MemberFactory.create_batch(RACERS)
    results, failures = race(members, activity)
    assert_never_oversold(activity, members, results, failures)
    # First come, first served: the five places went to the five earliest in the queue.
    ordered = list(SignUp.objects.filter(activity=activity).order_by("queued_at", "pk"))
    assert {s.state for s in ordered[:PLACES]} == {"approved"}


@postgres_only
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_member_racing_ten_times_gets_exactly_one_signup(activity):
    member = factories.MemberFactory()
    results, failures = race([member] * SAME_MEMBER_RACERS, activity)
    assert failures == []
    assert SignUp.objects.filter(activity=activity, member=member).count() == 1
    assert len({pk for pk, _state, _created in results}) == 1
    assert sum(created for _pk, _state, created in results) == 1


@sqlite_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_sqlite_concurrent_signups_run_one_at_a_time_and_never_oversell(activity, tmp_path):
    # The test database lives in memory, where SQLite locks tables instead of waiting; the
    # race runs on a file copy of it, as SQLite runs in production.
    members = factories.MemberFactory.create_batch(RACERS)
    database = {**connection.settings_dict, "NAME": str(tmp_path / "race.sqlite3")}
    copy_database_to(database["NAME"])
    results, failures = race(members, activity, database=database)
    file_connection = type(connections["default"])(database, alias="race")
    try:
        with override_default(file_connection):
            assert_never_oversold(activity, members, results, failures)
    finally:
        file_connection.close()


def copy_database_to(path: str) -> None:
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


@contextmanager
def override_default(wrapper):
    previous = connections["default"]
    connections["default"] = wrapper
    try:
        yield
    finally:
        connections["default"] = previous
