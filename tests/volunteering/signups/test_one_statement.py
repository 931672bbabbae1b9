"""A new sign-up through the API on PostgreSQL is written in one statement under the activity's
lock (`volunteering.signups.one_statement`): it must write exactly the rows the ORM's path
writes (the sign-up, its history row, its audit entry, and the email's task row after the
commit), in every state a new sign-up can take, and leave repeats and revivals to the ORM."""

from datetime import timedelta

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from wagtail.models import ModelLogEntry

from tests import factories
from tests.volunteering.api_support import as_
from volunteering.signups import one_statement
from volunteering.signups.models import SignUp
from workflows.audit import TRANSITION_ACTION

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ONE_STATEMENT = "WITH held AS"
_on_commit = TestCase.captureOnCommitCallbacks


@pytest.fixture
def postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("the one statement is PostgreSQL's (SQLite takes the ORM's path)")


def _sign_up(member, activity):
    # The email's task row is written after the commit, as the request's own would be.
    with CaptureQueriesContext(connection) as captured, _on_commit(execute=True):
        response = as_(member.user).post(f"/activities/{activity.pk}/signups")
    assert response.status_code == 201, response.content
    statements = [q["sql"] for q in captured.captured_queries]
    return SignUp.objects.get(activity=activity, member=member), statements


def _rows(signup) -> dict:
    """Everything the sign-up's request wrote, but ids, times and who (compared apart)."""
    history = signup.history.get()
    entry = ModelLogEntry.objects.for_instance(signup).get()
    (task,) = DBTaskResult.objects.filter(args_kwargs__args__2=signup.pk) or [None]
    times = ("state_changed_at", "created_at", "queued_at")
    return {
        "signup": {
            k: v for k, v in model_to_dict(signup).items() if k not in ("id", "member", *times)
        },
        "times set": all(getattr(signup, name) for name in times),
        "history": {
            name: getattr(history, name)
            for name in (
                "history_transition",
                "history_source_state",
                "history_target_state",
                "history_reason",
                "history_reason_code",
                "history_type",
                "history_change_reason",
                "state",
                "activity_id",
                "checked_in_at",
                "hours",
                "reminded_at",
            )
        },
        "history is the sign-up's": [
            history.id == signup.pk,
            history.member_id == signup.member_id,
            history.history_user_id == signup.member.user_id,
            history.created_at == signup.created_at,
            history.queued_at == signup.queued_at,
            history.state_changed_at == signup.state_changed_at,
            abs(history.history_date - signup.created_at) < timedelta(seconds=5),
        ],
        "entry": {
            "action": entry.action,
            "data": entry.data,
            "content_type": entry.content_type_id,
            "revision": entry.revision_id,
            "content_changed": entry.content_changed,
            "deleted": entry.deleted,
        },
        "entry is the sign-up's": (
            entry.object_id == str(signup.pk)
            and entry.user_id == signup.member.user_id
            and entry.label == str(signup)
            and abs(entry.timestamp - signup.created_at) < timedelta(seconds=5)
        ),
        "task": task
        and {
            "kind": task.args_kwargs["args"][0],
            "path": task.task_path,
            "status": task.status,
            "queue": task.queue_name,
            "priority": task.priority,
            "backend": task.backend_name,
        },
    }


@pytest.mark.parametrize(
    ("capacity", "needs_approval", "state"),
    [(5, False, "approved"), (5, True, "pending"), (1, False, "waitlisted")],
)
def test_the_one_statement_writes_what_the_orm_writes(
    postgresql, site_tree, settings, monkeypatch, capacity, needs_approval, state
):
    settings.TASKS = DATABASE_TASKS
    activity = factories.ActivityPageFactory(
        parent=site_tree.community, capacity=capacity, needs_approval=needs_approval
    )
    if state == "waitlisted":  # the one place taken already
        _sign_up(factories.MemberFactory(), activity)

    by_statement, statements = _sign_up(factories.MemberFactory(), activity)
    assert any(sql.startswith(ONE_STATEMENT) for sql in statements)
    monkeypatch.setattr(one_statement, "applies", lambda using: False)
    by_orm, statements = _sign_up(factories.MemberFactory(), activity)
    assert not any(sql.startswith(ONE_STATEMENT) for sql in statements)

    assert by_statement.state == by_orm.state == state
    written, expected = _rows(by_statement), _rows(by_orm)
    assert written == expected
    assert written["times set"] and all(written["history is the sign-up's"])
    assert written["entry is the sign-up's"]
    assert written["entry"]["action"] == TRANSITION_ACTION
    assert (written["task"] is None) == (state == "pending")


def test_the_waitlist_keeps_the_order_of_asking(postgresql, site_tree):
    activity = factories.ActivityPageFactory(parent=site_tree.community, capacity=2)
    members = [factories.MemberFactory() for _n in range(4)]
    signups = [_sign_up(member, activity)[0] for member in members]
    assert [s.state for s in signups] == ["approved", "approved", "waitlisted", "waitlisted"]
    assert list(SignUp.objects.filter(activity=activity)) == signups  # by queued_at


def test_a_repeat_and_a_revival_take_the_orms_path(postgresql, site_tree):
    """The statement inserts nothing for a member who has a sign-up to the activity: a repeat
    answers it (200), one cancelled is revived, each with its history row and audit entry."""
    from volunteering.signups.services import signup_cancel

    activity = factories.ActivityPageFactory(parent=site_tree.community, capacity=5)
    member = factories.MemberFactory()
    client = as_(member.user)
    first = client.post(f"/activities/{activity.pk}/signups")
    assert first.status_code == 201
    again = client.post(f"/activities/{activity.pk}/signups")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    signup = SignUp.objects.get(pk=first.json()["id"])
    signup_cancel(signup=signup, by=member.user)

    revived = client.post(f"/activities/{activity.pk}/signups")

    assert revived.status_code == 200 and revived.json()["status"] == "approved"
    assert SignUp.objects.filter(activity=activity).count() == 1
    transitions = list(
        signup.history.order_by("history_id").values_list("history_transition", flat=True)
    )
    assert transitions == ["submit_approved", "cancel", "resubmit_approved"]
    assert ModelLogEntry.objects.for_instance(signup).count() == 3


def test_sqlite_keeps_the_orms_path(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert not one_statement.applies("default")
