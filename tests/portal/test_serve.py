"""Production's processes as `make` starts them (docs/deployment.md): `make serve`, gunicorn with
production settings, as many workers as WEB_CONCURRENCY says, listening on HOST:PORT, one
access-log line per request on stdout; `make worker`, the task worker."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from tests.portal.test_deployment import DEPLOY_ENV

# The tasks' table only (the health check reads it): the whole schema takes a minute to build.
MIGRATE_TASKS = (
    "import django; django.setup();"
    "from django.apps import apps; from django.db.models.signals import post_migrate;"
    "post_migrate.disconnect(sender=apps.get_app_config('portal'),"
    " dispatch_uid='portal_sync_default_site');"
    "from django.core.management import call_command;"
    "call_command('migrate', 'django_tasks_database', verbosity=0)"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    """End the process group this test started (make, gunicorn's master and its workers)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def redis_url():
    """A Redis of the test's own on a free port, or, where none is installed, an address where
    nothing listens (the cache then reports unavailable)."""
    port = free_port()
    if not shutil.which("redis-server"):
        yield f"redis://127.0.0.1:{port}/0", False
        return
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield f"redis://127.0.0.1:{port}/0", True
    finally:
        stop(server)


def get(url: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers={"Host": "portal.example"})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_make_serve_runs_gunicorn_with_production_settings(tmp_path, redis_url):
    url, redis_running = redis_url
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "PORTAL_", "WEB_CONCURRENCY"))
    }
    env = {
        **clean,
        **DEPLOY_ENV,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": url,
        "WEB_CONCURRENCY": "2",
    }
    subprocess.run(
        [sys.executable, "-c", MIGRATE_TASKS], env=env, cwd=settings.BASE_DIR, check=True
    )
    port = free_port()
    out, err = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with out.open("w") as stdout, err.open("w") as stderr:
        # -o: the virtualenv counts as installed (the suite runs in it).
        server = subprocess.Popen(
            ["make", "--no-print-directory", "-o", ".venv/.installed", "serve", f"PORT={port}"],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 90
            while True:
                try:
                    status, headers, body = get(f"{base}/health/")
                    break
                except OSError:
                    assert server.poll() is None, err.read_text()
                    assert time.monotonic() < deadline, err.read_text()
                    time.sleep(0.5)
            redirect_status, redirect_headers, _ = get(f"{base}/news/")
        finally:
            stop(server)

    answer = json.loads(body)
    assert answer["checks"]["database"] == "ok"
    assert answer["tasks"] == {"backend": "database", "backlog": 0, "oldest_seconds": None}
    if redis_running:
        assert status == 200 and answer["status"] == "ok"
    else:
        assert status == 503 and answer["checks"]["cache"] == "unavailable"
    assert "no-store" in headers["Cache-Control"]
    # Production's settings: plain HTTP is sent to HTTPS (the health check excepted).
    assert redirect_status == 301
    assert redirect_headers["Location"] == "https://portal.example/news/"

    log = err.read_text()
    assert f"Listening at: http://127.0.0.1:{port}" in log
    assert log.count("Booting worker") == 2
    # stdout: JSON lines (after make's echo of the command), gunicorn's access lines and the
    # portal's own records, joined by the request id each response carries.
    lines = out.read_text().splitlines()
    records = [json.loads(line) for line in lines if line.startswith("{")]
    assert len(records) >= 4 and all(line.startswith(("{", "DJANGO_")) for line in lines)
    access = {(r["path"], r["status"]): r for r in records if r["logger"] == "gunicorn.access"}
    assert ("/health/", status) in access
    redirected = access[("/news/", 301)]
    assert redirected["message"] == "GET /news/ HTTP/1.1" and redirected["duration_ms"] >= 0
    request_id = redirect_headers["X-Request-ID"]
    assert redirected["request_id"] == request_id
    assert any(
        r["logger"] == "portal.requests" and r["request_id"] == request_id and r["status"] == 301
        for r in records
    )


def test_make_worker_runs_the_tasks_waiting_in_the_database(tmp_path):
    outbox = tmp_path / "sms.log"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        **DEPLOY_ENV,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SMS_BACKEND": "portal.sms.FileBackend",
        "SMS_FILE_PATH": str(outbox),
    }
    enqueue = (
        "import django; django.setup(); from portal.tasks import send_text;"
        "send_text.enqueue('+8613908741001', '明天的活动请准时参加')"
    )
    for code in (MIGRATE_TASKS, enqueue):
        subprocess.run([sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR, check=True)
    assert not outbox.exists()  # queued, not sent

    worker = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "worker", "WORKER_ARGS=--batch"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert worker.returncode == 0, worker.stdout + worker.stderr
    assert "明天的活动请准时参加" in outbox.read_text()
    assert "+8613908741001" in outbox.read_text()
