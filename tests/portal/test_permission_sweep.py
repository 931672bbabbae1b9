"""The permission sweep (issue 12's attack suite): every URL pattern of the configuration —
Wagtail's admin and the project's viewsets, the API's routes, the members' pages ("my
service"), print, export and history views — requested as each role of community A
(its staff, an admin of organisation A, member A, and an anonymous visitor), with the ids of
ANOTHER community's, organisation's and member's objects in its arguments (and of member A's
peer, for member A and anonymous).

Every one of those objects carries a marker (`sweep_world.LEAK`, `PEER`) where only its own
people may read it. The sweep fails on any 200 whose body (or export, unzipped) shows a
marker the role may not read, on any 5xx, and when a GET or POST changed one of the objects.
Patterns are read from `django.urls.get_resolver()`: a new pattern with arguments must be
given its kind of object in `sweep_table` (or a reason to leave it out), or the first test
fails."""

from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test import Client
from wagtail.models import Page

from tests.factories import build_site_tree
from tests.portal import sweep_table as table
from tests.portal.sweep_urls import Route, readable, routes
from tests.portal.sweep_world import LEAK, PEER, build_foreign, build_roles, rolled_back

ROLES = ["staff", "orgadmin", "member", "anonymous"]
# Who may not read the peer's records: everyone but the peer's community and organisation.
PEER_IS_FOREIGN_TO = {"member", "anonymous"}


@dataclass(frozen=True)
class Ask:
    """One request of the sweep."""

    route: Route
    url: str
    method: str
    peer: bool  # the ids are the peer's (else community B's, organisation B's, member B's)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back at its end (each test runs
    in a savepoint inside it)."""
    with rolled_back(django_db_blocker):
        tree = build_site_tree()
        roles = build_roles(tree)
        yield tree, roles, build_foreign(tree, roles)


# --- Which patterns -------------------------------------------------------------------------


def swept_routes() -> list[Route]:
    return [
        r
        for r in routes()
        if r.key not in table.LEFT_OUT
        and r.key not in table.NOT_REQUESTED
        and table.fillings(r) is not None
    ]


def test_every_pattern_is_swept_or_left_out_with_a_reason():
    unplanned = [
        r.key
        for r in routes()
        if r.key not in table.LEFT_OUT
        and r.key not in table.NOT_REQUESTED
        and table.fillings(r) is None
    ]
    assert unplanned == [], "give these patterns a kind in sweep_table (or a reason): "
    keys = {r.key for r in routes()}
    named = [*table.LEFT_OUT, *table.NOT_REQUESTED, *table.ARGUMENTS, *table.TEMPLATES]
    named += [key for key, _marker in table.BY_DESIGN]
    assert [key for key in named if key not in keys] == [], "sweep_table names no pattern"


def asks(foreign, role: str) -> list[Ask]:
    found = []
    for route in swept_routes():
        for filling in table.fillings(route):
            for url, peer in _urls(route, filling, foreign, role):
                found.append(Ask(route, url, "GET", peer))
                if route.args:
                    found.append(Ask(route, url, "POST", peer))
        if not route.args and _lists(route):
            found += [
                Ask(route, f"{route.url({})}?export={fmt}", "GET", False) for fmt in ("csv", "xlsx")
            ]
    return found


def _lists(route: Route) -> bool:
    return route.key.startswith("admin/") and route.name.endswith(":index")


def _urls(route: Route, filling: dict, foreign, role: str):
    if not filling:
        yield build_url(route, {}), False
        return
    kinds = [k for k in filling.values() if not isinstance(k, table.Const)]
    for kind in kinds:
        assert foreign.ids.get(kind), f"the sweep's world has no object of kind {kind!r}"
    for index in range(max((len(foreign.ids[k]) for k in kinds), default=1)):
        yield build_url(route, _values(filling, foreign.ids, index)), False
    if role in PEER_IS_FOREIGN_TO and kinds and all(foreign.peer.get(k) for k in kinds):
        for index in range(max(len(foreign.peer[k]) for k in kinds)):
            yield build_url(route, _values(filling, foreign.peer, index)), True


def build_url(route: Route, values: dict) -> str:
    query = {name[1:]: value for name, value in values.items() if name.startswith("?")}
    template = table.TEMPLATES.get(route.key)
    url = "/" + template.format(**values) if template else route.url(values)
    return f"{url}?{urlencode(query)}" if query else url


def _values(filling: dict, ids: dict, index: int) -> dict:
    return {arg: _value(kind, ids, index) for arg, kind in filling.items()}


def _value(kind, ids: dict, index: int):
    if isinstance(kind, table.Const):
        return kind.value
    return ids[kind][min(index, len(ids[kind]) - 1)]


# --- Asking ---------------------------------------------------------------------------------


def client_for(roles, role: str) -> tuple[Client, dict]:
    client = Client(raise_request_exception=False)  # a 500 is an answer the sweep reports
    user = roles.users[role]
    if user is not None:
        client.force_login(user)
    headers = {"Authorization": f"Bearer {roles.tokens[role]}"} if role in roles.tokens else {}
    return client, headers


def send(client: Client, headers: dict, ask: Ask):
    if ask.method == "GET":
        return client.get(ask.url, headers=headers if ask.route.is_api else {})
    if ask.route.is_api:
        return client.post(ask.url, "{}", content_type="application/json", headers=headers)
    return client.post(ask.url, {})


def problems_of(ask: Ask, role: str, response) -> list[str]:
    where = f"{ask.method} {ask.url} ({ask.route.key}) as {role}: {response.status_code}"
    if response.status_code >= 500:
        return [where]
    if response.status_code != 200:
        return []
    text = readable(response)
    markers = [LEAK] + ([PEER] if role in PEER_IS_FOREIGN_TO else [])
    return [
        f"{where} shows {marker}: …{_around(text, marker)}…"
        for marker in markers
        if marker in text and (ask.route.key, marker) not in table.BY_DESIGN
    ]


def _around(text: str, marker: str) -> str:
    at = text.index(marker)
    return " ".join(text[max(0, at - 60) : at + 30].split())


def fingerprint(foreign) -> dict:
    """Each foreign object as it is stored now (None when it is gone)."""
    found = {}
    for obj in foreign.objects:
        model = type(obj)
        current = model._base_manager.filter(pk=obj.pk).first()
        if isinstance(obj, Page) and current is not None:
            current = Page.objects.get(pk=obj.pk)
        found[model.__name__, obj.pk] = model_to_dict(current) if current else None
    return found


# The sweep tests the portal's own permission code (querysets scoped in Python, per-object checks),
# which is the same on every engine; at ~3 minutes it runs once per CI run, in the SQLite suite,
# not again in the PostgreSQL one. The engine-specific guards (row locks, NUL refusal) have their
# own PostgreSQL tests.
@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="engine-independent: swept once, in the SQLite suite"
)
@pytest.mark.parametrize("role", ROLES)
def test_no_role_opens_or_changes_another_communitys_organisations_or_members_objects(
    world, role, db
):
    _tree, roles, foreign = world
    client, headers = client_for(roles, role)
    before = fingerprint(foreign)
    problems = []
    for ask in asks(foreign, role):
        problems += problems_of(ask, role, send(client, headers, ask))
    assert not problems, "\n".join(problems)
    after = fingerprint(foreign)
    assert [key for key in before if before[key] != after[key]] == []
