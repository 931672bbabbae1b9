"""The machinery of the corpus test through Wagtail's own admin addresses
(tests/portal/test_wagtail_admin_fuzz.py, whose docstring says what it does): which addresses,
what a refused post there must leave as it was, the addresses that take only a POST, the
reports' exports and the admin API. The corpus, what a page declares and what counts as a
problem are the staff side's (`tests/portal/admin_fuzz.py`); the uploads are in
`wagtail_upload_fuzz.py`."""

import itertools
import json
from urllib.parse import urlencode, urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Site, Task, Workflow

from tests.portal import admin_fuzz as staff
from tests.portal import sweep_table as table
from tests.portal.admin_fuzz import (
    CORPUS,
    GET_ROUNDS,
    LONG_ADDRESS,
    REDIRECTS,
    Declared,
    Target,
    _url,
    _value,
    dealt,
    declared,
    is_project_view,
    problems_of,
    project_viewsets,
    snapshot,
)
from tests.portal.sweep_urls import routes

# Left to others: the page explorer and editor (the portal's corpus test and its page actions),
# the admin's JSON API (its parameters are not a page's forms: `API_PARAMETERS` below), and the
# sign-in and password-reset forms (the login limits' own tests: a corpus of wrong sign-ins
# would lock the test client's address out).
ELSEWHERE = ("admin/pages/", "admin/api/", "admin/login/", "admin/password_reset/")
# Whose rows a refused post must leave as they were: the first address prefix that matches.
MODELS = (
    ("admin/users/", get_user_model()),
    ("admin/groups/", Group),
    ("admin/images/", get_image_model()),
    ("admin/documents/", get_document_model()),
    ("admin/collections/", Collection),
    ("admin/sites/", Site),
    ("admin/redirects/", Redirect),
    ("admin/workflows/tasks/", Task),
    ("admin/workflows/", Workflow),
)
# The admin API's parameters (its explorer and choosers read them), each sent the corpus.
API_PARAMETERS = (
    "search",
    "order",
    "limit",
    "offset",
    "type",
    "fields",
    "child_of",
    "descendant_of",
    "for_explorer",
    "has_children",
    "locale",
    "id",
)
API_ADDRESSES = (
    "/admin/api/main/pages/",
    "/admin/api/main/images/",
    "/admin/api/main/documents/",
)


def wagtail_targets(foreign) -> list[Target]:
    """Wagtail's own admin addresses (those `admin_fuzz.admin_targets` leaves out: not the
    portal's code), filled with the sweep's objects as the permission sweep fills them."""
    namespaces = project_viewsets()
    theirs = {target.url for target in staff._settings_targets()}
    found = []
    for route in routes():
        if not route.key.startswith("admin/") or route.key.startswith(ELSEWHERE):
            continue
        if route.key.endswith("results/") or "/history-results/" in route.key:
            continue  # the listing's own view, fuzzed through the listing
        if route.key in table.LEFT_OUT or route.key in table.NOT_REQUESTED:
            continue
        if (route.name.split(":")[0] if ":" in route.name else None) in namespaces:
            continue
        for filling in table.fillings(route) or []:
            values = {arg: _value(kind, foreign) for arg, kind in filling.items()}
            url = _url(route, values)
            if is_project_view(url) or url in theirs:
                continue
            model = next((m for prefix, m in MODELS if route.key.startswith(prefix)), None)
            found.append(Target(url, model, _object_id(values) if model else None))
    return found


def _object_id(values: dict):
    """The id of the object the address names (`pk`, `image_id`, `user_pk`…), if any."""
    ids = (v for k, v in values.items() if k == "pk" or k.endswith(("_id", "_pk")))
    return next(ids, None)


def page_html(response) -> str | None:
    """A page's HTML; a chooser's (a modal: JSON with its HTML in `html`); None for other JSON."""
    text = bytes(response.content).decode("utf-8", "replace")
    if not response.get("Content-Type", "").startswith("application/json"):
        return text
    try:
        data = json.loads(text)
    except ValueError:
        return None
    html = data.get("html") if isinstance(data, dict) else None
    return html if isinstance(html, str) else None


def fuzz_wagtail(client: Client, who: str, target: Target, seed: int) -> tuple[list[str], bool]:
    """`admin_fuzz.fuzz` for Wagtail's pages: a chooser's HTML read from its JSON, and a
    report's CSV and XLSX exports with the corpus in its filters. Also answers whether the
    page opened (200)."""
    page = client.get(target.url)
    problems = problems_of("GET", target.url, who, page)
    if page.status_code == 405 and not any(part in target.url for part in NOT_POSTED):
        return problems + post_only(client, who, target, seed), False
    if page.status_code != 200 or page.streaming:
        return problems, False
    html = page_html(page)
    path = urlsplit(target.url).path
    # JSON without HTML (a chooser's chosen object, the tag autocompletion): its parameters.
    found = declared(html, path) if html is not None else Declared([*LISTING, "id", "term"], [])
    rounds = GET_ROUNDS if len(found.query) > len(staff.LISTING_PARAMETERS) else 1
    for round_ in range(rounds):
        query = dealt(found.query, seed + round_ * 7, LONG_ADDRESS)
        url = f"{path}?{urlencode(query)}"
        problems += problems_of("GET", url, who, client.get(url))
        if html and ("export=csv" in html or "export=xlsx" in html):
            problems += export_problems(client, who, path, query)
    if not any(part in target.url for part in NOT_POSTED):
        problems += staff.posts_spoiled(client, who, target, found.posts, seed)
    return problems, True


NOT_POSTED = ("/delete/", "/delete_upload/")
LISTING = staff.LISTING_PARAMETERS
# The fields of the addresses that take only a POST (the page that posts to them is another):
# the multiple upload's edit step, the editing sessions' ping. Others are posted empty.
POST_ONLY_FIELDS = {
    "/admin/images/multiple/": ("title", "collection", "tags", "description"),
    "/admin/documents/multiple/": ("title", "collection", "tags"),
    "/admin/editing-sessions/": ("is_editing", "revision_id", "revision_created_at"),
}
PREFIXES = {"/admin/images/multiple/": "image-{pk}-", "/admin/documents/multiple/": "doc-{pk}-"}


def post_only(client: Client, who: str, target: Target, seed: int) -> list[str]:
    """An address that answers only a POST: posted empty, and with the corpus in its fields
    (three rounds); a refusal must leave its object as it was."""
    start = next((p for p in POST_ONLY_FIELDS if target.url.startswith(p)), None)
    prefix = PREFIXES.get(start, "").format(pk=target.pk)
    names = [prefix + name for name in POST_ONLY_FIELDS.get(start, ())]
    problems = []
    for round_ in range(3 if names else 1):
        body = urlencode(dealt(names, seed + round_ * 5)) if round_ else ""
        before = snapshot(target)
        response = client.post(target.url, body, "application/x-www-form-urlencoded")
        problems += problems_of("POST", target.url, who, response)
        if refused(response) and response.status_code < 300 and snapshot(target) != before:
            problems.append(f"POST {target.url} as {who}: refused, yet it wrote")
    return problems


def export_problems(client: Client, who: str, path: str, query) -> list[str]:
    """A report's exports with the corpus in its filters, read to the end (a streamed answer
    fails while it is read, after its status)."""
    problems = []
    for kind in ("csv", "xlsx"):
        url = f"{path}?{urlencode([*query, ('export', kind)])}"
        response = client.get(url)
        problems += problems_of("GET", url[:200], who, response)
        try:
            b"".join(response.streaming_content) if response.streaming else response.content
        except Exception as error:  # noqa: BLE001 — any failure is what is reported
            problems.append(f"GET {url[:120]} as {who}: export failed ({error!r:.200})")
    return problems


def api_problems(client: Client, who: str, seed: int) -> list[str]:
    """The admin API's listings with the corpus dealt round their parameters, twice."""
    problems = []
    for index, (address, round_) in enumerate(itertools.product(API_ADDRESSES, range(2))):
        start = seed + index * 3 + round_
        query = [
            (name, CORPUS[(start + i) % len(CORPUS)][:4096])
            for i, name in enumerate(API_PARAMETERS)
        ]
        url = f"{address}?{urlencode(query)}"
        problems += problems_of("GET", url[:160], who, client.get(url))
    return problems


def refused(response) -> bool:
    """Whether an upload's answer says it stored nothing: the form shown again (a 200 page, or
    a 4xx), or JSON with `success` false or the chooser's form shown again."""
    if response.status_code in REDIRECTS:
        return False
    data = _json(response)
    if data is None:
        return True
    return data.get("success") is False or str(data.get("step", "")).startswith("reshow")


def said_stored(response) -> bool:
    data = _json(response)
    return data is not None and (data.get("success") is True or data.get("step") == "chosen")


def _json(response) -> dict | None:
    if not response.get("Content-Type", "").startswith("application/json"):
        return None
    try:
        data = json.loads(bytes(response.content))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
