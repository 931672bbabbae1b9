"""Scale-out, tried (docs/deployment.md, "Several app servers"): two app servers (gunicorn,
production's settings) and a task worker on one PostgreSQL and one Redis. A page cached by one
server is served from the cache by the other; a publish (and an unpublish) through the admin of
one forgets it on both."""

import http.cookiejar
import os
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from tests import factories
from tests.portal.test_deployment import DEPLOY_ENV
from tests.portal.test_serve import free_port, redis_url, stop  # noqa: F401 - a fixture

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="app servers in other processes share the suite's database: PostgreSQL only "
        "(SQLite's test database is in memory); CI's make test-postgres runs it",
    ),
]
HOST = "portal.example"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """A browser's cookies against one server."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def request(self, path: str, data: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers={"Host": HOST})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def start(command: list[str], env: dict, log) -> subprocess.Popen:
    return subprocess.Popen(
        ["make", "--no-print-directory", "-o", ".venv/.installed", *command],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_until_up(base: str, process: subprocess.Popen, log_path) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            status, _headers, _body = Browser(base).request("/health/")
            if status == 200:
                return
        except OSError:
            pass
        assert process.poll() is None, log_path.read_text()
        assert time.monotonic() < deadline, log_path.read_text()
        time.sleep(0.5)


def bulk(browser: Browser, action: str, page_id: int) -> int:
    """Publish or unpublish a page with Wagtail's bulk action, as an editor does."""
    path = f"/admin/bulk/wagtailcore/page/{action}/?id={page_id}&next=/admin/"
    status, _headers, form = browser.request(path)
    assert status == 200, form[:2000]
    status, _headers, body = browser.request(
        path, {"csrfmiddlewaretoken": TOKEN.search(form).group(1)}
    )
    return status


def app_server_env(redis: str) -> dict:
    """Production's environment for app servers started by a test, on the suite's PostgreSQL
    database and the given Redis, signing sessions and API tokens with the suite's key."""
    database = connection.settings_dict
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "PORTAL_", "WEB_CONCURRENCY"))
    }
    return {
        **clean,
        **DEPLOY_ENV,
        "DJANGO_SETTINGS_MODULE": "tests.portal.scale_out_settings",
        # The suite's key: sessions and API tokens made by the test are signed with it.
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "REDIS_URL": redis,
        "WEB_CONCURRENCY": "2",
        "DJANGO_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
    }


@pytest.fixture
def servers(tmp_path, redis_url):  # noqa: F811 - the fixture of tests/portal/test_serve.py
    url, running = redis_url
    if not running:
        pytest.skip("redis-server is not installed: the app servers need a shared Redis")
    env = app_server_env(url)
    processes, bases = [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            log_path = tmp_path / f"{name}.log"
            process = start(["serve", f"PORT={port}"], env, log_path.open("w"))
            processes.append(process)
            bases.append((f"http://127.0.0.1:{port}", process, log_path))
        worker_log = tmp_path / "worker.log"
        worker = start(["worker", "WORKER_ARGS=--interval 1"], env, worker_log.open("w"))
        processes.append(worker)
        for base, process, log_path in bases:
            wait_until_up(base, process, log_path)
        yield [base for base, _process, _log in bases], worker, worker_log
    finally:
        for process in processes:
            stop(process)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_publish_on_one_server_forgets_the_page_cached_by_the_other(servers):
    site_tree = factories.build_site_tree()
    draft = factories.NewsPageFactory(
        parent=site_tree.news, title="两台服务器的新闻", live=False, publish=False
    )
    draft.save_revision()
    editor = get_user_model().objects.create_superuser("editor", "editor@example.com", "x")
    signed_in = Client()
    signed_in.force_login(editor)  # a session in the database both servers read
    (a, b), worker, worker_log = servers
    channel = site_tree.news.url

    first = Browser(b).request(channel)
    from_b = Browser(b).request(channel)
    from_a = Browser(a).request(channel)  # the cache is shared: a serves what b stored
    assert (first[0], first[1]["X-Cache"]) == (200, "miss")
    assert from_b[1]["X-Cache"] == "hit" and from_a[1]["X-Cache"] == "hit"
    assert "两台服务器的新闻" not in from_a[2]

    editor_on_a = Browser(a)
    editor_on_a.jar.set_cookie(session_cookie(signed_in.cookies["sessionid"].value))
    assert bulk(editor_on_a, "publish", draft.pk) == 302

    published = within_a_version_interval(lambda: Browser(b).request(channel))
    assert published[1]["X-Cache"] == "miss"
    assert "两台服务器的新闻" in published[2]
    assert Browser(b).request(channel)[1]["X-Cache"] == "hit"

    assert bulk(editor_on_a, "unpublish", draft.pk) == 302
    unpublished = within_a_version_interval(lambda: Browser(b).request(channel))
    assert unpublished[1]["X-Cache"] == "miss"
    assert "两台服务器的新闻" not in unpublished[2]

    # The publish queued tasks (the worker's); the worker, running beside the servers, takes them.
    deadline = time.monotonic() + 60
    while '"backlog": 0' not in (health := Browser(b).request("/health/")[2]):
        assert worker.poll() is None, worker_log.read_text()
        assert time.monotonic() < deadline, health + worker_log.read_text()
        time.sleep(0.5)


def within_a_version_interval(fetch):
    """The other server's processes read the site-wide version every PAGE_CACHE_VERSION_SECONDS
    (one second): the first answer that is not a hit, or the last hit after three seconds."""
    deadline = time.monotonic() + 3
    while (answer := fetch())[1]["X-Cache"] == "hit" and time.monotonic() < deadline:
        time.sleep(0.2)
    return answer


def session_cookie(value: str) -> http.cookiejar.Cookie:
    return http.cookiejar.Cookie(
        0,
        "sessionid",
        value,
        None,
        False,
        "127.0.0.1",
        False,
        False,
        "/",
        True,
        False,
        None,
        False,
        None,
        None,
        {},
    )
