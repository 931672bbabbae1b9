"""GET /health/ (portal.health): database, cache and task backlog, as JSON, never cached; 503
when the database is unreachable, with nothing secret in the answer."""

import datetime

import pytest
from django.db import OperationalError, connections
from django.utils import timezone

HEALTH = "/health/"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_healthy_is_200_json_never_cached(client, db):
    response = client.get(HEALTH)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "tasks": "ok"},
        "tasks": {"backend": "immediate", "backlog": None, "oldest_seconds": None},
    }


def test_json_whatever_the_client_accepts(client, db):
    response = client.get(HEALTH, HTTP_ACCEPT="text/html")
    assert response["Content-Type"] == "application/json"


def test_the_backlog_of_the_database_backend(client, db, settings):
    from django_tasks_db.models import DBTaskResult

    from portal.tasks import send_email

    settings.TASKS = DATABASE_TASKS
    send_email.enqueue("主题", "正文", "a@example.com")
    send_email.enqueue("主题", "正文", "b@example.com")
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=5))

    body = client.get(HEALTH).json()

    assert body["status"] == "ok"
    assert body["tasks"]["backend"] == "database"
    assert body["tasks"]["backlog"] == 2
    assert 300 <= body["tasks"]["oldest_seconds"] < 360


SECRET_ERROR = (
    'connection to server at "db.internal" (10.0.0.5), port 5432 failed: '
    'FATAL:  password authentication failed for user "portal"'
)


@pytest.fixture
def database_unreachable(monkeypatch):
    """Every new database connection fails, as when PostgreSQL is down (the health check's
    probe opens a connection of its own)."""

    def refuse(self, conn_params):
        raise OperationalError(SECRET_ERROR)

    monkeypatch.setattr(type(connections["default"]), "get_new_connection", refuse)


def test_503_when_the_database_is_unreachable_and_nothing_secret_is_said(
    client, db, database_unreachable
):
    response = client.get(HEALTH)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "unavailable"
    assert body["checks"]["cache"] == "ok"
    text = response.content.decode()
    for secret in ("db.internal", "10.0.0.5", "5432", "password", '"portal"', "FATAL"):
        assert secret not in text
    assert "no-store" in response["Cache-Control"]


def test_503_when_the_cache_is_unreachable(client, db, monkeypatch):
    from django.core.cache import cache

    async def down(*args, **kwargs):
        raise ConnectionError("redis://:hunter2@cache.internal:6379")

    monkeypatch.setattr(cache, "aset", down)
    response = client.get(HEALTH)
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "unavailable", "tasks": "ok"}
    assert "hunter2" not in response.content.decode()
