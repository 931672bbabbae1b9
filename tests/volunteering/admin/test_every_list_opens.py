"""Every admin list of the project opens its objects: each registered model viewset (found in
Wagtail's viewset registry, so a new one is walked without touching this file) lists an object
made by its factory, and the row's title links to the object's inspect or edit view, which
opens, for every role allowed to see the list. The list's query count does not grow with rows.

A viewset whose model has no factory in `tests.factories` fails here: add one."""

import inspect
from pathlib import Path

import factory
import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.conf import settings
from django.contrib.admin.utils import quote
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, get_resolver, reverse
from wagtail.admin.viewsets import viewsets as registry
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Page

from tests import factories
from volunteering.admin.policy import scoped_queryset
from volunteering.admin.viewsets import ALL_ACTIONS, ScopedModelViewSet
from volunteering.communities.models import CommunityPage

ANY_RIGHT = {"add", "change", "delete", "view"}


def project_viewsets() -> list[ModelViewSet]:
    """The model viewsets registered for models of this project's own apps."""
    # Loading the URLconf populates the registry, once: populating it again here would
    # register the snippet viewsets (letters) a second time, which Wagtail refuses.
    get_resolver().url_patterns  # noqa: B018
    base = Path(settings.BASE_DIR).resolve()
    own = {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base)
        # A virtualenv inside the checkout (make's .venv) holds Django's and Wagtail's apps.
        and "site-packages" not in Path(config.path).parts
    }
    return [
        viewset
        for viewset in registry.viewsets
        if isinstance(viewset, ModelViewSet) and viewset.model._meta.app_label in own
    ]


def factory_for(model):
    found = [
        cls
        for _name, cls in inspect.getmembers(factories, inspect.isclass)
        if issubclass(cls, factory.base.Factory)
        and getattr(cls._meta, "model", None) is model
        and not cls._meta.abstract
    ]
    assert found, f"tests/factories/ has no factory for {model._meta.label}"
    return found[0]


def make(model, community):
    """One object of `model` in `community`, what its factory does not fill made the same way."""
    factory_class = factory_for(model)
    declared = set(factory_class._meta.declarations)
    kwargs = {}
    for field in model._meta.concrete_fields:
        if field.name in declared:
            continue
        if field.name == "state":  # stateful factories read it: the workflow's first state
            kwargs["state"] = field.get_default()
        if not field.is_relation:
            continue
        related = field.related_model
        if field.name == "community" and issubclass(related, CommunityPage):
            kwargs["community"] = community
        elif field.null:
            continue
        elif issubclass(related, CommunityPage) or related is Page:
            kwargs[field.name] = community
        elif issubclass(related, Page):
            kwargs[field.name] = factory_for(related)(parent=community)
        else:
            kwargs[field.name] = make(related, community)
    return factory_class(**kwargs)


def object_urls(viewset, obj) -> set[str]:
    urls = set()
    for view in ("inspect", "edit"):
        try:
            urls.add(reverse(viewset.get_url_name(view), args=(quote(obj.pk),)))
        except NoReverseMatch:
            pass
    return urls


def title_links(page: str) -> list[str]:
    """The link of each row's first cell (the title column)."""
    soup = BeautifulSoup(page, "html.parser")
    links = []
    for row in soup.select("table.listing tbody tr"):
        cells = row.find_all("td")
        title = next((c for c in cells if c.find("a", href=True)), None)
        anchor = title.find("a", href=True) if title else None
        links.append(anchor["href"] if anchor else "")
    return links


def roles(viewset, community):
    """The users who may see this list: a superuser always; for the scoped lists the city and
    the community's staff when their scope grants them anything."""
    users = [("superuser", factories.UserFactory(username="root", is_superuser=True))]
    if isinstance(viewset, ScopedModelViewSet):
        users.append(("city", factories.city_user("city-walker")))
        users.append(("staff", factories.community_staff(community, "staff-walker")))
    policy = viewset.permission_policy
    return [(name, user) for name, user in users if policy.user_has_any_permission(user, ANY_RIGHT)]


def index_url(viewset) -> str:
    """The list: "index" for model viewsets, "list" for snippet viewsets (letters)."""
    try:
        return reverse(viewset.get_url_name("index"))
    except NoReverseMatch:
        return reverse(viewset.get_url_name("list"))


def index_queries(client, path: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(context), response.content.decode()


def test_the_walk_finds_the_project_viewsets():
    names = {type(viewset).__name__ for viewset in project_viewsets()}
    assert {"FeedbackViewSet", "GoodDeedViewSet", "ReportViewSet", "ReviewScopeViewSet"} <= names


@pytest.mark.parametrize("viewset", project_viewsets(), ids=lambda viewset: type(viewset).__name__)
def test_every_row_links_to_its_object(viewset, site_tree, client):
    community = site_tree.community
    obj = make(viewset.model, community)
    users = roles(viewset, community)
    assert users, f"nobody may see {viewset.name}"
    for role, user in users:
        if isinstance(viewset, ScopedModelViewSet):
            if not scoped_queryset(viewset.model, user, ALL_ACTIONS).filter(pk=obj.pk).exists():
                continue  # not this role's row (e.g. a member who reported nowhere)
        client.force_login(user)
        _queries, page = index_queries(client, index_url(viewset))
        links = title_links(page)
        expected = object_urls(viewset, obj)
        assert set(links) & expected, (role, viewset.name, links, expected)
        assert all(links), (role, viewset.name, "a row without a link", links)
        opened = client.get(next(link for link in links if link in expected))
        assert opened.status_code == 200, (role, viewset.name)


@pytest.mark.parametrize("viewset", project_viewsets(), ids=lambda viewset: type(viewset).__name__)
def test_every_list_takes_as_many_queries_for_many_rows_as_for_one(viewset, site_tree, client):
    community = site_tree.community
    make(viewset.model, community)
    client.force_login(factories.UserFactory(username="root", is_superuser=True))
    client.get(index_url(viewset))  # warm caches that are filled once per process
    one, _page = index_queries(client, index_url(viewset))
    for _n in range(4):
        make(viewset.model, community)
    # New rows may come with new pages (a sign-up's activity): the page tree's caches (the
    # admin menu's news channel, the site) are read again once after a tree change, not per row.
    client.get(index_url(viewset))
    many, page = index_queries(client, index_url(viewset))
    assert len(title_links(page)) >= 5
    assert many <= one, (viewset.name, one, many)
