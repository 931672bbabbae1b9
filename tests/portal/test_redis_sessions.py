"""Production's sessions (docs/deployment.md, "PostgreSQL and Redis"): cached_db with Redis as
the cache, against a real Redis of the test's own: a sign-in is kept in Redis and in the
database, and survives Redis losing everything (a restart, an eviction)."""

import pytest
import redis
from django.contrib.sessions.models import Session

from tests.portal.test_deployment import DEPLOY_ENV
from tests.portal.test_serve import redis_url  # noqa: F401 - the fixture
from tests.portal.test_settings import _run_with


def test_a_sign_in_lives_in_redis_and_the_database_and_survives_redis_losing_it(
    client,
    member,
    settings,
    redis_url,  # noqa: F811
):
    url, running = redis_url
    if not running:
        pytest.skip("redis-server is not installed")
    # Production's values, read from production's settings, pointed at this Redis.
    shown = _run_with(
        DEPLOY_ENV, show="settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE"
    )
    backend, engine = shown.stdout.split()
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": url, "KEY_PREFIX": "portal"}}
    settings.SESSION_ENGINE = engine
    store = redis.Redis.from_url(url)

    client.force_login(member.user)
    key = client.session.session_key
    assert any(key in name.decode() for name in store.keys("*"))
    assert Session.objects.filter(session_key=key).exists()
    assert client.get("/my/").status_code == 200

    store.flushall()  # Redis restarted without persistence, or the key evicted
    assert client.get("/my/").status_code == 200  # still signed in: read from the database
    assert any(key in name.decode() for name in store.keys("*"))  # and cached again
