"""Nobody can edit or delete history through the admin: no admin (Django's or Wagtail's) has a
view of the history tables, and the history views that exist (a record's log, a page's history,
the site history report) answer only GET — writing to them changes nothing."""

import pytest
from django.contrib import admin
from django.urls import get_resolver
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, PageLogEntry

from tests import factories
from tests.volunteering.admin.support import build_world, url
from volunteering.reporting.services import report_return
from workflows.history import historical_models


@pytest.fixture
def world(site_tree):
    return build_world(site_tree)


def routes(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if hasattr(pattern, "url_patterns"):
            yield from routes(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def test_no_history_table_has_an_admin(db):
    models = historical_models()
    assert models, "the volunteering models keep history"
    for model in models:
        assert not admin.site.is_registered(model), model
    every_route = " ".join(routes()).lower()
    for model in models:
        assert model._meta.model_name not in every_route, model


def test_the_django_admin_has_no_page_for_history_rows(db, client):
    client.force_login(factories.UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.get("/django-admin/volunteering/historicalreport/")
    assert response.status_code == 404


def _counts():
    return (
        sum(model.objects.count() for model in historical_models()),
        ModelLogEntry.objects.count(),
        PageLogEntry.objects.count(),
    )


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_history_views_refuse_writes_and_change_nothing(world, client, method):
    report = report_return(report=world.a.report, by=world.a.staff, reason="请补材料")
    log(report, "wagtail.edit", user=world.a.staff)
    activity = world.a.activity
    client.force_login(factories.UserFactory(username="root", is_superuser=True, is_staff=True))
    before = _counts()
    for path in (
        url("report", "history", report.pk),
        url("report", "history_results", report.pk),
        f"/admin/pages/{activity.pk}/history/",
        "/admin/reports/site-history/",
        "/admin/reports/site-history/results/",
    ):
        response = getattr(client, method)(path, {"action": "delete"})
        assert response.status_code in (403, 405), (path, method, response.status_code)
    assert _counts() == before


def test_the_history_views_still_read(world, client):
    client.force_login(factories.UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get(url("report", "history", world.a.report.pk)).status_code == 200
    assert client.get("/admin/reports/site-history/").status_code == 200
