"""Production's task backend (django-tasks-db): an email a request queues is stored, not sent
inside the request, and sent when the worker (`manage.py db_worker`, `make worker`) runs it."""

import signal

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tests import factories

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker_once():
    """`db_worker --batch`: runs what is due, then stops. It installs its own signal handlers
    (to finish a task before stopping); the test process gets its own back."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def test_production_uses_the_database_backend_and_development_runs_tasks_at_once(settings):
    from tests.portal.test_settings import PRODUCTION_ENV, _run_with

    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")
    result = _run_with(PRODUCTION_ENV, show="settings.TASKS['default']['BACKEND']")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django_tasks_db.DatabaseBackend"


# Transactional: the worker checks its connection between tasks (as between requests), which
# would close the test's wrapping transaction on PostgreSQL.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_queued_email_waits_for_the_worker_instead_of_the_request(client, settings):
    settings.TASKS = DATABASE_TASKS
    factories.UserFactory(username="zhangwei", email="zw@example.com")

    response = client.post("/accounts/password_reset/", {"email": "zw@example.com"})

    assert response.status_code == 302
    assert mail.outbox == []  # not sent inside the request
    # Not even looked up inside the request (docs/security.md: the same work for every address).
    stored = DBTaskResult.objects.get()
    assert stored.task_path == "portal.password_reset.send_reset_email"
    assert stored.status == "READY"
    assert stored.args_kwargs["args"][0] == "zw@example.com"

    run_worker_once()

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["zw@example.com"]
    done = set(DBTaskResult.objects.values_list("task_path", "status"))
    assert done == {
        ("portal.password_reset.send_reset_email", "SUCCESSFUL"),
        ("portal.tasks.send_email", "SUCCESSFUL"),
    }

    run_worker_once()  # nothing runs twice
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_daily_job_prunes_finished_tasks_that_keep_an_emails_body(client, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.TASKS = DATABASE_TASKS
    factories.UserFactory(username="zhangwei", email="zw@example.com")
    client.post("/accounts/password_reset/", {"email": "zw@example.com"})
    client.post("/accounts/password_reset/", {"email": "zw@example.com"})
    run_worker_once()
    *old, recent = DBTaskResult.objects.order_by("pk")  # each request: its task and its email
    assert len(old) == 3
    DBTaskResult.objects.filter(pk__in=[r.pk for r in old]).update(
        finished_at=timezone.now() - timedelta(days=3)
    )

    call_command("prune_task_results", verbosity=0)

    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_daily_prune_does_nothing_where_tasks_are_not_stored():
    from django.core.management.base import CommandError

    # django-tasks-db's own command refuses the immediate backend: the daily job must not fail
    # every day in development.
    with pytest.raises(CommandError, match="not a database backend"):
        call_command("prune_db_task_results", queue_name="*", verbosity=0)

    call_command("prune_task_results", verbosity=0)  # no error: nothing to do
