"""GET /health/: what a load balancer or a monitor asks each app server (docs/deployment.md).

django-health-check's probes of the database (`SELECT 1` on a connection of its own) and of
the cache (a write and a read of a key of its own, Redis in production), each with a time
limit, and the task backlog: how many tasks wait for the worker (`make worker`) and how long the
oldest has waited. JSON, never cached:

    {"status": "ok", "checks": {"database": "ok", "cache": "ok", "tasks": "ok"},
     "tasks": {"backend": "database", "backlog": 0, "oldest_seconds": null}}

200 when every check passes, 503 when one fails (the database or the cache unreachable: this
server cannot serve pages). The backlog is reported, not judged: a stopped worker delays emails
but does not stop the pages, and taking every app server out of the load balancer for it would.
The answer names no host, user, error message or setting: the details go to the log
(the `health_check` logger)."""

import asyncio
import dataclasses

from django.db import DatabaseError
from django.http import JsonResponse
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class TaskBacklog(HealthCheck):
    """The tasks due and not yet taken by a worker, under the database backend. With the
    immediate backend (development, tests) nothing waits: no backlog to report."""

    backend: str | None = dataclasses.field(default=None, init=False, repr=False)
    backlog: int | None = dataclasses.field(default=None, init=False, repr=False)
    oldest_seconds: int | None = dataclasses.field(default=None, init=False, repr=False)

    async def run(self) -> None:
        from django_tasks_db import DatabaseBackend

        if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
            self.backend = "immediate"
            return
        self.backend = "database"
        from django_tasks_db.models import DBTaskResult

        try:
            # The async ORM runs on the request's own thread and connection.
            due = DBTaskResult.objects.ready()
            self.backlog = await due.acount()
            oldest = (
                await due.order_by("enqueued_at").values_list("enqueued_at", flat=True).afirst()
            )
        except DatabaseError as exc:
            raise ServiceUnavailable("task table unreadable") from exc
        if oldest is not None:
            self.oldest_seconds = max(0, int((timezone.now() - oldest).total_seconds()))


NAMES = {Database: "database", Cache: "cache", TaskBacklog: "tasks"}


class HealthView(HealthCheckView):
    checks = (Database, Cache, TaskBacklog)

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            self.results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )
        checks = {NAMES[type(r.check)]: "unavailable" if r.error else "ok" for r in self.results}
        healthy = all(value == "ok" for value in checks.values())
        (tasks,) = [r.check for r in self.results if isinstance(r.check, TaskBacklog)]
        return JsonResponse(
            {
                "status": "ok" if healthy else "unavailable",
                "checks": checks,
                "tasks": {
                    "backend": tasks.backend,
                    "backlog": tasks.backlog,
                    "oldest_seconds": tasks.oldest_seconds,
                },
            },
            status=200 if healthy else 503,
        )


health = HealthView.as_view()
