"""App-server workers killed in the middle of a sign-up rush (issue 12): members sign up through
the API of a real app server (gunicorn as `make serve` runs it, production's settings,
PostgreSQL and Redis) while its workers are killed with SIGKILL, one after another. Every
sign-up the server acknowledged is in the database exactly once; none is half-written (each has
its history row); the places are never oversold; and a member whose answer was lost with the
worker gets their one sign-up when they try again."""

import http.client
import json
import os
import signal
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from portal.api_auth import api_token_issue
from tests import factories
from tests.portal.test_scale_out import app_server_env, start, wait_until_up
from tests.portal.test_serve import free_port, redis_url, stop  # noqa: F401 - a fixture
from volunteering.signups.models import SignUp

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="an app server in another process shares the suite's database: PostgreSQL only "
        "(SQLite's test database is in memory); CI's make test-postgres runs it",
    ),
]
PLACES = 20
MEMBERS = 90
CLIENTS = 30
KILLS = 3


def sign_up(base: str, activity_id: int, token: str) -> tuple[int, dict | None]:
    """(status, answer) of one API sign-up; status 0 when the connection broke or the answer was
    cut short (the worker answering it was killed)."""
    request = urllib.request.Request(
        f"{base}/api/v1/activities/{activity_id}/signups",
        data=b"",
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Host": "portal.example"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, None
    except (OSError, http.client.HTTPException):
        # The connection broke, or the answer was cut short (IncompleteRead): its worker died.
        return 0, None


def gunicorn_workers(session: int) -> list[int]:
    """The workers of the gunicorn master started in `session` (make's process group)."""
    processes = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[3]) == session and b"gunicorn" in command:
            processes[int(entry.name)] = int(stat[1])
    return [pid for pid, parent in processes.items() if parent in processes]


@pytest.fixture
def app_server(tmp_path, redis_url):  # noqa: F811 - the fixture of tests/portal/test_serve.py
    url, running = redis_url
    if not running:
        pytest.skip("redis-server is not installed: the app server needs Redis")
    port, log_path = free_port(), tmp_path / "server.log"
    process = start(["serve", f"PORT={port}"], app_server_env(url), log_path.open("w"))
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base, process, log_path)
        yield base, process
    finally:
        stop(process)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_killed_workers_lose_no_acknowledged_sign_up_and_half_write_none(app_server):
    base, server = app_server
    site_tree = factories.build_site_tree()
    activity = factories.ActivityPageFactory(parent=site_tree.community, capacity=PLACES)
    tokens = [api_token_issue(user=factories.MemberFactory().user)[1] for _n in range(MEMBERS)]
    answers: dict[str, tuple[int, dict | None]] = {}
    lock = threading.Lock()

    def client(mine: list[str]) -> None:
        for token in mine:
            answer = sign_up(base, activity.pk, token)
            with lock:
                answers[token] = answer

    threads = [threading.Thread(target=client, args=(tokens[n::CLIENTS],)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    killed = []
    for _kill in range(KILLS):
        time.sleep(0.4)
        workers = gunicorn_workers(server.pid)
        if workers:
            os.kill(workers[0], signal.SIGKILL)  # gunicorn's master starts another
            killed.append(workers[0])
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert killed, "no worker was found to kill"

    statuses = Counter(status for status, _answer in answers.values())
    assert set(statuses) <= {0, 200, 201}, statuses  # answered, or lost with its worker
    assert statuses[0] >= 1, "no kill met a request in flight: nothing was proved"
    acknowledged = {t: a["id"] for t, (status, a) in answers.items() if status in (200, 201)}
    signups = SignUp.objects.filter(activity=activity)
    rows = set(signups.values_list("pk", flat=True))
    assert set(acknowledged.values()) <= rows  # every acknowledged sign-up is there
    assert Counter(signups.values_list("member_id", flat=True)).most_common(1)[0][1] == 1
    states = Counter(signups.values_list("state", flat=True))
    assert states["approved"] == min(PLACES, len(rows))
    assert states["approved"] + states["waitlisted"] == len(rows)
    recorded = set(SignUp.history.filter(id__in=rows).values_list("id", flat=True))
    assert recorded == rows  # none half-written

    # Those whose answer was lost with a worker try again: one sign-up each, the same if it was
    # committed before the worker died.
    lost = [t for t, (status, _answer) in answers.items() if status == 0]
    for token in lost:
        status, answer = sign_up(base, activity.pk, token)
        assert status in (200, 201), status
        assert answer["id"] in set(signups.values_list("pk", flat=True))
    assert signups.count() == MEMBERS
