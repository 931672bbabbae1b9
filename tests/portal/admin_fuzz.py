"""The machinery of the staff side's corpus test (tests/portal/test_admin_fuzz.py, whose
docstring says what it does): the corpus, the admin addresses read from the URL configuration,
what each page declares, the spoiled posts and what counts as a problem."""

import re
import traceback
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from bs4 import BeautifulSoup
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.test import Client
from django.urls import Resolver404, resolve
from wagtail.admin.viewsets import viewsets as admin_viewsets
from wagtail.fields import StreamField
from wagtail.models import Page, Site, get_page_models

from portal.input_guard import has_forbidden
from tests.portal import sweep_table as table
from tests.portal.sweep_urls import Route, routes

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
    return problems + posts_spoiled(client, who, target, found.posts, seed)


def posts_spoiled(client: Client, who: str, target: Target, posts, seed: int) -> list[str]:
    """The page's own form (the one with most fields) posted spoiled, all and by halves; a
    refused post must leave the target as it was."""
    problems = []
    for fields in sorted(posts, key=len)[-1:]:
        for third in (None, *range(SPOILED_PARTS)):
            body = urlencode(spoiled(fields, seed + (third or 0) * 3, third))
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
