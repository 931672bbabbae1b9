"""The staff side of issue 12's corpus test: every admin address the portal adds — its viewsets'
listings, create, edit, inspect, history and action views, the custom admin views (assessment,
report rates, demonstrations, the report draft, the choosers), the settings it registers, and
Wagtail's page editor for each of the portal's page types — is sent the corpus (NUL, a lone
surrogate, a 1 MB string, right-to-left overrides, zero-width characters, SQL and FTS syntax,
numbers out of range, impossible dates) in every query parameter and every form field its own
page declares, by the city (a superuser), a city admin who is not one (the city permission
through a group), staff of a community and an organisation's admin; the last three also on the
objects of their own community and organisation (the forms they really use), with the staff
print views outside admin/ and the team-request decisions.

The addresses are read from the URL configuration (`sweep_urls.routes`, filled as the
permission sweep fills them, `sweep_table`): an admin pattern is fuzzed when its view, or the
viewset it belongs to, is the portal's own code, so a new view is fuzzed without being listed
here. What each one declares is read from the page itself: the fields of its GET forms (a
listing's search and filters) and of the POST form that posts back to it (its fields with their
current values), plus the listing parameters every Wagtail listing reads (`q`, `p`, `ordering`).

Deterministic sampling, not the cross product: the corpus is dealt round the fields, each round
starting one value further on, so every field meets several corpus values and every value many
fields. A form is posted once with every field spoiled and twice with half of its fields
spoiled and the others as the page gave them (so that the spoiled ones reach the form's
validation, the service and the save). A listing's `results/` twin (the same view, answering
its search and filters without the page around them) is left to its listing.

It fails on any 5xx or traceback; on a refused post (anything but a redirect) that changed the
object posted to or the number of its model's rows; on Django's English error messages in a
Chinese answer; and when, at the end, any text column of the portal's models holds a character
the input guard refuses (`portal.input_guard.has_forbidden`)."""

import itertools
import re
import traceback
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.test import Client
from django.urls import Resolver404, resolve
from wagtail.admin.viewsets import viewsets as admin_viewsets
from wagtail.fields import StreamField
from wagtail.models import Page, Site, get_page_models

from portal.input_guard import has_forbidden
from tests import factories
from tests.factories import build_site_tree
from tests.portal import sweep_table as table
from tests.portal.sweep_urls import Route, routes
from tests.portal.sweep_world import build_foreign, build_own, build_roles, city_admin
from volunteering.people.models import Member
from volunteering.teams.models import TeamMembership

PROJECT = ("portal", "volunteering", "news", "workflows")

# The corpus. Values are bytes: a lone surrogate cannot be encoded in UTF-8, so it is sent as
# the bytes a hostile client sends for it (ED A0 80), percent-encoded like everything else.
MEGABYTE = "社区" * 175_000  # 350,000 characters, 1.05 MB in UTF-8
CORPUS: list[bytes] = [
    b"\x00",
    b"\xed\xa0\x80",  # a lone surrogate (U+D800) as a careless encoder writes it
    MEGABYTE.encode(),
    "\u202e名单\u202c".encode(),  # right-to-left override
    "\u200b\u200d\ufeff".encode(),  # zero-width characters
    b"'; DROP TABLE volunteering_report; --",
    b'" OR 1=1 --',
    "法律 AND NOT 援助 NEAR(".encode(),  # FTS syntax
    b'"unterminated*',
    b"99999999999999999999",
    b"-1",
    b"-99999999999999999999",
    b"1e400",
    b"NaN",
    b"2026-02-30",
    b"99999-12-31",
    b"",
    b"%00",
    b"<script>alert(1)</script>",
    b"\r\n\t",
]
# In an address, the megabyte is cut to 64 KB: no front server passes a longer one (nginx answers
# 414 past 8 KB), and each listing writes its query string into every sorting and paging link.
LONG_ADDRESS = 64 * 1024
# Read by every Wagtail listing, whether or not its page shows a form for them.
LISTING_PARAMETERS = ("q", "p", "ordering")
GET_ROUNDS = 2
SPOILED_PARTS = 2
REDIRECTS = (301, 302, 303)
# Django's own messages, as they read untranslated: a Chinese admin must not show them.
ENGLISH = (
    "This field is required",
    "Enter a valid",
    "Enter a whole number",
    "Enter a number",
    "Select a valid choice",
    "Ensure this value",
)
# Never posted to: the post deletes (or signs out), whatever its body says; they are still
# opened with the corpus in their query string.
NOT_POSTED = (":delete",)


# --- Which addresses ---------------------------------------------------------------------------


def project_viewsets() -> dict[str, type | None]:
    """The portal's admin viewsets: their URL namespace → their model."""
    found = {}
    for viewset in admin_viewsets.viewsets:
        if type(viewset).__module__.split(".")[0] not in PROJECT:
            continue
        try:
            found[viewset.url_namespace] = getattr(viewset, "model", None)
        except ImproperlyConfigured:  # the page viewset has no namespace: pages are below
            continue
    return found


def is_project_view(url: str) -> bool:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return False
    view = getattr(match.func, "view_class", match.func)
    return view.__module__.split(".")[0] in PROJECT


@dataclass(frozen=True)
class Target:
    """One address to fuzz, and what a refused post must leave as it was."""

    url: str
    model: type | None = None  # whose row count must not change on a refused post
    pk: object = None  # the object posted to, which must not change


def admin_targets(foreign) -> list[Target]:
    """The portal's admin addresses, filled with the sweep's objects (all the city's to open),
    and the page editor's, one per page type of the portal."""
    namespaces = project_viewsets()
    found = []
    for route in routes():
        if not route.key.startswith("admin/") or route.key.startswith("admin/pages/"):
            continue
        if route.key.endswith("results/") or "/history-results/" in route.key:
            continue  # the listing's own view, fuzzed through the listing
        if route.key in table.LEFT_OUT or route.key in table.NOT_REQUESTED:
            continue
        namespace = route.name.split(":")[0] if ":" in route.name else None
        fillings = table.fillings(route)
        if not fillings:
            continue
        values = {arg: _value(kind, foreign) for arg, kind in fillings[0].items()}
        url = _url(route, values)
        if namespace not in namespaces and not is_project_view(url):
            continue
        model = namespaces.get(namespace)
        pk = values.get("pk") if model is not None else None
        found.append(Target(url, model if isinstance(model, type) else None, pk))
    return found + _settings_targets() + _page_targets()


def _value(kind, foreign):
    return kind.value if isinstance(kind, table.Const) else foreign.ids[kind][0]


def _url(route: Route, values: dict) -> str:
    query = {name[1:]: value for name, value in values.items() if name.startswith("?")}
    template = table.TEMPLATES.get(route.key)
    url = "/" + template.format(**values) if template else route.url(values)
    return f"{url}?{urlencode(query)}" if query else url


def _settings_targets() -> list[Target]:
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting

    found = []
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT and model.__module__.split(".")[0] not in PROJECT:
            continue
        if issubclass(model, BaseSiteSetting):
            instance = model.for_site(Site.objects.get(is_default_site=True))
        elif issubclass(model, BaseGenericSetting):
            instance = model.load()
        else:
            continue
        meta = model._meta
        url = f"/admin/settings/{meta.app_label}/{meta.model_name}/{instance.pk}/"
        found.append(Target(url, model, instance.pk))
    return found


def _page_targets() -> list[Target]:
    """Per page type of the portal: its editor on a page of that type, and its create form
    under a parent it may have; plus the explorer and the page search with their filters."""
    home = Site.objects.get(is_default_site=True).root_page_id
    found = [Target("/admin/pages/search/"), Target(f"/admin/pages/{home}/")]
    for model in get_page_models():
        if model.__module__.split(".")[0] not in PROJECT:
            continue
        page = model.objects.order_by("pk").first()
        if page is not None:
            found.append(Target(f"/admin/pages/{page.pk}/edit/", Page, page.pk))
        parent = next(
            (
                p.objects.order_by("pk").first()
                for p in model.allowed_parent_page_models()
                if p is not Page and p.objects.exists()
            ),
            None,
        )
        if parent is not None:
            meta = model._meta
            url = f"/admin/pages/add/{meta.app_label}/{meta.model_name}/{parent.pk}/"
            found.append(Target(url, Page))
    return found


# --- What each page declares --------------------------------------------------------------------


@dataclass
class Declared:
    query: list[str]  # the GET forms' field names, and the listing parameters
    posts: list[list[tuple[str, str]]]  # each POST form back to the page: its fields as given
    # (the one with the most fields is posted: the page's own form, not its side forms)


def declared(html: str, path: str) -> Declared:
    soup = BeautifulSoup(html, "html.parser")
    query, posts = list(LISTING_PARAMETERS), []
    for form in soup.find_all("form"):
        action = urlsplit(form.get("action") or path).path
        if action != path and not action.startswith(path):
            continue
        fields = _fields(soup, form)
        if (form.get("method") or "get").lower() == "post":
            posts.append(fields)
        else:
            query += [name for name, _value in fields if name not in query]
    return Declared(query, posts)


def _fields(soup, form) -> list[tuple[str, str]]:
    elements = form.find_all(["input", "select", "textarea"])
    if form.get("id"):
        elements += soup.find_all(["input", "select", "textarea"], attrs={"form": form["id"]})
    fields = []
    for element in elements:
        name = element.get("name")
        if not name or name == "csrfmiddlewaretoken":
            continue
        kind = (element.get("type") or "text").lower()
        if element.name == "textarea":
            fields.append((name, element.text))
        elif element.name == "select":
            chosen = element.find_all("option", selected=True) or element.find_all("option")[:1]
            fields += [(name, option.get("value", option.text)) for option in chosen] or [
                (name, "")
            ]
        elif kind in ("checkbox", "radio"):
            if element.has_attr("checked"):
                fields.append((name, element.get("value", "on")))
            else:
                fields.append((name, None))  # named, for spoiling; not sent as given
        elif kind not in ("submit", "button", "file", "image", "reset"):
            fields.append((name, element.get("value", "")))
    return fields


# --- Dealing the corpus -------------------------------------------------------------------------


def dealt(names: list[str], start: int, limit: int | None = None) -> list[tuple[str, bytes]]:
    """Each name with a corpus value (at most `limit` bytes), the corpus dealt round them from
    `start`."""
    return [
        (name, CORPUS[(start + index) % len(CORPUS)][:limit]) for index, name in enumerate(names)
    ]


def spoiled(fields, start: int, third: int | None) -> list[tuple[str, bytes]]:
    """The form's fields as the page gave them, those of part `third` (all when None)
    spoiled."""
    body, names = [], []
    for index, (name, value) in enumerate(fields):
        if third is None or index % SPOILED_PARTS == third:
            names.append(name)
        elif value is not None:
            body.append((name, value.encode()))
    return body + dealt(list(dict.fromkeys(names)), start)


# --- Asking -----------------------------------------------------------------------------------


def snapshot(target: Target):
    if target.model is None:
        return None
    count = target.model._base_manager.count()
    if target.pk is None:
        return count, None
    obj = target.model._base_manager.filter(pk=target.pk).first()
    if isinstance(obj, Page):
        obj = obj.specific
    if obj is None:
        return count, None
    return count, {f.attname: f.value_to_string(obj) for f in obj._meta.concrete_fields}


def problems_of(method: str, url: str, who: str, response) -> list[str]:
    where = f"{method} {url[:120]} as {who}: {response.status_code}"
    if response.status_code >= 500:
        error = getattr(response, "exc_info", None)
        if error is None:
            return [where]
        frames = [f for f in traceback.extract_tb(error[2]) if "/django/db/" not in f.filename][-4:]
        at = " < ".join(f"{f.filename.split('site-packages/')[-1]}:{f.lineno}" for f in frames)
        return [f"{where} ({error[0].__name__}: {str(error[1])[:100]} at {at})"]
    content = b"" if response.streaming else bytes(response.content)
    if b"Traceback" in content:
        return [f"{where} shows a traceback"]
    if response.status_code == 200 and method == "POST":
        text = content.decode("utf-8", "replace")
        return [f"{where} shows {english!r}" for english in ENGLISH if english in text]
    return []


ACTION_LINK = re.compile(r'href="(/admin/[\w/-]+/action/\d+/[\w-]+/)')


def fuzz(client: Client, who: str, target: Target, seed: int, actions=None) -> list[str]:
    """Fuzz one address; the workflow actions its page offers (approve, reject, …: the
    viewsets' `action/<pk>/<name>/` links) are added to `actions`, when given."""
    page = client.get(target.url)
    problems = problems_of("GET", target.url, who, page)
    if page.status_code != 200 or page.streaming:
        return problems
    path = urlsplit(target.url).path
    html = page.content.decode("utf-8", "replace")
    if actions is not None:
        for link in ACTION_LINK.findall(html):
            actions.setdefault(link, Target(link, target.model, int(link.split("/")[-3])))
    found = declared(html, path)
    rounds = GET_ROUNDS if len(found.query) > len(LISTING_PARAMETERS) else 1
    for round_ in range(rounds):
        query = urlencode(dealt(found.query, seed + round_ * 7, LONG_ADDRESS))
        url = f"{path}?{query}"
        problems += problems_of("GET", url, who, client.get(url))
    if any(part in target.url for part in ("/delete/",)):
        return problems
    for number, fields in enumerate(sorted(found.posts, key=len)[-1:]):
        for third in (None, *range(SPOILED_PARTS)):
            start = seed + number * 5 + (third or 0) * 3
            body = urlencode(spoiled(fields, start, third))
            before = snapshot(target)
            response = client.post(target.url, body, "application/x-www-form-urlencoded")
            problems += problems_of("POST", target.url, who, response)
            if response.status_code not in REDIRECTS and snapshot(target) != before:
                problems.append(f"POST {target.url} as {who}: {response.status_code}, yet it wrote")
    return problems


def stored_forbidden() -> list[str]:
    """Every text value of the portal's models (and of pages) that holds a refused character."""
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in (*PROJECT, "wagtailcore") or model._meta.proxy:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | StreamField)
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list("pk", *fields).iterator():
            bad = [str(value)[:40] for value in row[1:] if value and has_forbidden(str(value))]
            if bad:
                found.append(f"{model._meta.label} {row[0]}: {bad}")
    return found


# --- The world and the tests ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The permission sweep's world (every kind of object an admin address takes), plus a page
    of each of the portal's page types, and the city; rolled back at the module's end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            tree = build_site_tree()
            roles = build_roles(tree)
            foreign = build_foreign(tree, roles)
            factories.NewsPageFactory(parent=tree.news, title="新闻")
            factories.BrandProjectPageFactory(parent=tree.community, title="品牌项目")
            factories.ActivityIndexPageFactory(parent=tree.community, title="活动")
            roles.users["city"] = factories.UserFactory(
                username="city-fuzz", is_superuser=True, is_staff=True
            )
            roles.users["cityadmin"] = city_admin("cityadmin-fuzz")
            own = build_own(tree, roles)
            yield tree, roles, foreign, own
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)  # a 500 is an answer the test reports
    client.force_login(user)
    return client


def test_the_portals_admin_addresses_are_found_from_the_url_configuration(world, db):
    _tree, _roles, foreign, _own = world
    urls = [target.url for target in admin_targets(foreign)]
    for expected in (
        "/admin/volunteering/report/",
        "/admin/volunteering/gooddeed/new/",
        "/admin/assessment/",
        "/admin/report-rates/",
        "/admin/report-draft/",
        "/admin/review_scopes/",
        "/admin/volunteering_organisation_chooser/",
    ):
        assert expected in urls
    assert any(url.startswith("/admin/volunteering/letter/edit/") for url in urls)
    assert any(url.startswith("/admin/settings/portal/portalsettings/") for url in urls)
    assert any(url.endswith("/edit/") and url.startswith("/admin/pages/") for url in urls)
    assert not any(url.startswith(("/admin/images/", "/admin/users/")) for url in urls)


# Engine-independent form and filter code: run in the SQLite suite; on PostgreSQL the search
# and NUL refusals have their own tests (tests/portal/test_input_guard.py, test_search.py).
@pytest.mark.skipif(connection.vendor != "sqlite", reason="swept once, in the SQLite suite")
@pytest.mark.parametrize("who", ["city", "cityadmin", "staff", "orgadmin"])
def test_no_admin_form_filter_or_listing_answers_the_corpus_with_a_5xx(world, who, db):
    _tree, roles, foreign, _own = world
    client = signed_in(roles.users[who])
    targets = admin_targets(foreign)
    if who != "city":  # the addresses without an object's id: listings, filters, create forms
        # (their objects' forms: `test_no_form_of_the_roles_own_objects_answers_the_corpus…`)
        targets = [t for t in targets if t.pk is None and "/edit/" not in t.url]
    # The role reaches the lists (a sweep of 403s would prove nothing).
    assert client.get("/admin/volunteering/report/").status_code == 200
    seeds = itertools.count(sum(map(ord, who)))
    problems, actions = [], {}
    for target in targets:
        problems += fuzz(client, who, target, next(seeds), actions)
    # Then each workflow action the pages offered (once each), with its reason or form spoiled.
    for target in actions.values():
        problems += fuzz(client, who, target, next(seeds))
    problems += stored_forbidden()
    assert not problems, "\n".join(problems)


# --- The roles' own objects, the print views and the team decisions ------------------------------


def own_targets(foreign, own) -> list[Target]:
    """The admin addresses that take an object id, filled with the roles' OWN objects (their
    community's, their organisation's), the page editor on their own pages, and the staff print
    views outside admin/ (a member's service file, the community's contact handbook)."""
    merged = type(foreign)(ids={**foreign.ids, **own.ids})
    theirs = {target.url for target in admin_targets(foreign)}
    found = [t for t in admin_targets(merged) if t.url not in theirs]
    community = own.ids["community"][0]
    for pk in (*own.ids["page"], *own.ids["activity"]):
        found.append(Target(f"/admin/pages/{pk}/edit/", Page, pk))
    found.append(Target(f"/admin/pages/add/portal/standardpage/{community}/", Page))
    found.append(Target(f"/service/members/{own.ids['member'][0]}/service-file/print/"))
    found.append(Target(f"/service/communities/{community}/handbook/print/"))
    return found


def decide_on_team_requests(client: Client, who: str, own, seed: int) -> list[str]:
    """The team-request approve and decline posts (the team page's buttons), their reason and
    `next` spoiled, each once with an empty body; and a GET each with the corpus in its query."""
    problems = []
    for index, pk in enumerate(own.ids["teammembership"]):
        for decision in ("approve", "decline"):
            url = f"/service/team-requests/{pk}/{decision}/"
            query = urlencode(dealt(["reason", "next"], seed + index, LONG_ADDRESS))
            problems += problems_of("GET", f"{url}?{query}", who, client.get(f"{url}?{query}"))
            for round_ in range(3):
                body = urlencode(dealt(["reason", "next"], seed + round_ * 5 + index))
                response = client.post(url, body, "application/x-www-form-urlencoded")
                problems += problems_of("POST", url, who, response)
            problems += problems_of("POST", url, who, client.post(url, {}))
    return problems


@pytest.mark.skipif(connection.vendor != "sqlite", reason="swept once, in the SQLite suite")
@pytest.mark.parametrize("who", ["staff", "orgadmin", "cityadmin"])
def test_no_form_of_the_roles_own_objects_answers_the_corpus_with_a_5xx(world, who, db):
    """As the forms are really used: community staff on their community's objects, an
    organisation's admin on their organisation's, a city admin (not a superuser) on both —
    edit forms, inspect pages, workflow actions, page editor, print views, team decisions."""
    _tree, roles, foreign, own = world
    client = signed_in(roles.users[who])
    targets = own_targets(foreign, own)
    seeds = itertools.count(sum(map(ord, who)) + 3)
    problems, actions, answered = [], {}, 0
    for target in targets:
        before = len(actions)
        problems += fuzz(client, who, target, next(seeds), actions)
        answered += client.get(target.url).status_code == 200 or len(actions) > before
    for target in actions.values():
        problems += fuzz(client, who, target, next(seeds))
    problems += decide_on_team_requests(client, who, own, next(seeds))
    problems += stored_forbidden()
    assert not problems, "\n".join(problems)
    # The role really reached its own objects' pages (not a sweep of 403s and 404s).
    assert answered >= 5 and actions, (answered, list(actions))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="swept once, in the SQLite suite")
def test_a_team_leader_deciding_and_a_member_printing_their_file_meet_no_5xx(world, db):
    """The other role that reaches these views: member A, who leads community A's team (so
    decides on its requests) and prints their own service file."""
    _tree, roles, _foreign, own = world
    client = signed_in(roles.users["member"])
    member = Member.objects.get(user=roles.users["member"])
    url = f"/service/members/{member.pk}/service-file/print/"
    assert client.get(url).status_code == 200
    problems = fuzz(client, "member", Target(url), 41)
    problems += decide_on_team_requests(client, "member", own, 43)
    assert not problems, "\n".join(problems)
    assert set(
        TeamMembership.objects.filter(pk__in=own.ids["teammembership"]).values_list(
            "state", flat=True
        )
    ) <= {"approved", "declined"}  # the leader's decisions were taken
