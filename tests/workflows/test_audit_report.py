"""The admin's site history report (/admin/reports/site-history/) filtered by community, and
scoped to the communities a user manages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageLogEntry

from tests import factories
from tests.factories import admin_user
from tests.volunteering.admin.support import build_world
from volunteering.menu import services as menu
from volunteering.reporting import services as reports
from workflows.audit import ScopedSiteHistoryView

REPORT_URL = "/admin/reports/site-history/"
RESULTS_URL = "/admin/reports/site-history/results/"


@pytest.fixture
def world(site_tree):
    world = build_world(site_tree)
    reports.report_confirm(report=world.a.report, by=world.a.staff, note="材料齐全")
    reports.report_return(report=world.b.report, by=world.b.staff, reason="请先向挂钩社区报到")
    # A page in each community, edited by its staff (a page log entry each).
    for side in (world.a, world.b):
        page = factories.ActivityPageFactory(parent=side.community, title=f"{side.community}义诊")
        page.save_revision(user=side.staff, log_action=True)
    world.tree = site_tree
    return world


def _entries(response) -> list:
    return list(response.context["object_list"])


def _in_community(entry, community) -> bool:
    if isinstance(entry, PageLogEntry):
        return entry.page.path.startswith(community.path)
    return entry.data.get("scope") == community.pk


def test_wagtails_url_names_lead_to_the_scoped_report():
    assert reverse("wagtailadmin_reports:site_history") == REPORT_URL
    assert reverse("wagtailadmin_reports:site_history_results") == RESULTS_URL


def test_the_report_filtered_by_community_shows_only_its_entries(world, client):
    client.force_login(admin_user("root", is_superuser=True))
    for address in (REPORT_URL, RESULTS_URL):
        response = client.get(address, {"scope": world.a.community.pk})
        assert response.status_code == 200
        assert isinstance(response.context["view"], ScopedSiteHistoryView)
        entries = _entries(response)
        assert entries
        assert all(_in_community(entry, world.a.community) for entry in entries)
        assert any(isinstance(entry, PageLogEntry) for entry in entries)
    html = client.get(REPORT_URL, {"scope": world.a.community.pk}).content.decode()
    assert "确认报到：待确认 → 已确认（材料齐全）" in html
    assert "请先向挂钩社区报到" not in html


def test_the_city_sees_every_community_unfiltered(world, client):
    """City users see every community's transitions; page entries follow page permissions,
    as in Wagtail."""
    client.force_login(world.city)
    entries = _entries(client.get(REPORT_URL))
    assert any(_in_community(entry, world.a.community) for entry in entries)
    assert any(_in_community(entry, world.b.community) for entry in entries)
    choices = client.get(REPORT_URL).context["filters"].form.fields["scope"].queryset
    assert {world.a.community.pk, world.b.community.pk} <= {c.pk for c in choices}


def test_staff_see_only_their_own_community(world, client):
    client.force_login(world.a.staff)
    response = client.get(REPORT_URL)
    entries = _entries(response)
    assert entries
    assert all(_in_community(entry, world.a.community) for entry in entries)
    choices = response.context["filters"].form.fields["scope"].queryset
    assert [c.pk for c in choices] == [world.a.community.pk]
    # Asking for another community's entries shows none of them.
    other = _entries(client.get(RESULTS_URL, {"scope": world.b.community.pk}))
    assert not any(_in_community(entry, world.b.community) for entry in other)


def test_admin_users_without_a_community_see_no_community_entries(world, client):
    client.force_login(admin_user("nobody"))
    entries = _entries(client.get(REPORT_URL))
    assert not any(
        _in_community(entry, side.community) for side in (world.a, world.b) for entry in entries
    )


def test_people_without_admin_access_cannot_reach_the_report(world, client):
    client.force_login(world.a.member.user)
    assert client.get(REPORT_URL).status_code == 302
    client.logout()
    assert client.get(RESULTS_URL).status_code == 302


def _add_transitions(world, count: int) -> None:
    for n in range(count):
        need = menu.need_create(community=world.a.community, title=f"需求{n}", by=world.a.staff)
        menu.need_close(need=need, by=world.a.staff, reason="已有人完成")


@pytest.mark.parametrize("user", ["city", "staff"])
def test_the_filtered_report_takes_a_bounded_number_of_queries(world, client, user):
    client.force_login(world.city if user == "city" else world.a.staff)
    params = {"scope": world.a.community.pk}

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(REPORT_URL, params).status_code == 200
        return len(captured)

    _add_transitions(world, 2)
    few = queries()
    _add_transitions(world, 10)
    assert queries() == few
    assert few <= 60  # the admin chrome (menus, user, permissions) and the filters
