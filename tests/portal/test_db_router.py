"""The read replica's router (portal/db_router.py): on only with DATABASE_REPLICA_URL; the
figures' and search's reads go to the replica, writes and every other read to the primary."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connections
from django.urls import reverse

from portal import db_router
from portal.db_router import REPLICA, ReplicaRouter, reads_from_replica
from tests.portal.test_deployment import DEPLOY_ENV

ROUTER = ReplicaRouter()


def test_reads_go_to_the_replica_only_inside_reads_from_replica():
    assert ROUTER.db_for_read(object) is None  # Django's default: the primary
    with reads_from_replica():
        assert ROUTER.db_for_read(object) == REPLICA
    assert ROUTER.db_for_read(object) is None


def test_writes_and_migrations_stay_on_the_primary():
    with reads_from_replica():
        assert ROUTER.db_for_write(object) == "default"
    assert ROUTER.allow_migrate("default", "volunteering")
    assert not ROUTER.allow_migrate(REPLICA, "volunteering")


def test_reads_inside_a_transaction_on_the_primary_stay_there(monkeypatch):
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    with reads_from_replica():
        assert ROUTER.db_for_read(object) is None


def configured(**env) -> dict:
    code = (
        "import json; from django.conf import settings;"
        "print(json.dumps({'aliases': sorted(settings.DATABASES),"
        " 'routers': settings.DATABASE_ROUTERS,"
        " 'replica': settings.DATABASES.get('replica', {}).get('HOST')}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **DEPLOY_ENV, "DJANGO_SETTINGS_MODULE": "portal.settings.production", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_the_router_is_active_only_when_a_replica_is_given():
    primary = "postgres://portal@db-primary:5432/portal"
    without = configured(DATABASE_URL=primary)
    with_replica = configured(
        DATABASE_URL=primary, DATABASE_REPLICA_URL="postgres://portal@db-replica:5432/portal"
    )
    assert without == {"aliases": ["default"], "routers": [], "replica": None}
    assert with_replica == {
        "aliases": ["default", "replica"],
        "routers": ["portal.db_router.ReplicaRouter"],
        "replica": "db-replica",
    }


class Recorder:
    """Records, for each read routed, whether it was asked for inside reads_from_replica."""

    reads: list[bool] = []

    def db_for_read(self, model, **hints):
        Recorder.reads.append(db_router._on_replica.get())


@pytest.fixture
def recorded(settings):
    Recorder.reads = []
    settings.DATABASE_ROUTERS = [f"{__name__}.Recorder"]
    return Recorder.reads


@pytest.mark.parametrize(
    "url",
    [
        reverse("search") + "?q=社区",
        reverse("figures:statistics"),
        "/api/v1/stats",
    ],
)
def test_the_figures_and_search_read_from_the_replica(site_tree, client, recorded, url):
    response = client.get(url)
    assert response.status_code == 200
    assert recorded and all(recorded), recorded


def test_pages_read_from_the_primary(site_tree, client, recorded):
    assert client.get(site_tree.community.url).status_code == 200
    assert recorded and not any(recorded)
