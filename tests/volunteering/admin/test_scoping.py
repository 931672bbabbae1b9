"""Scoping of the volunteering admin: each user sees and changes only what belongs to their
communities or organisation; the city sees everything."""

import pytest

from tests.factories import admin_user
from tests.volunteering.admin.support import url, xlsx_rows
from volunteering.admin.policy import POLICIES, scoped_queryset
from volunteering.menu.models import Need
from volunteering.reporting.models import Report

# (viewset model name, Side attribute, text that names the object in a list)
SCOPED = [
    ("report", "report", lambda side: side.member.real_name),
    ("need", "need", lambda side: side.need.title),
    ("needclaim", "claim", lambda side: side.member.real_name),
    ("team", "team", lambda side: side.team.name),
    ("teammembership", "membership", lambda side: side.member.real_name),
    ("post", "post", lambda side: side.post.title),
    ("postpledge", "pledge", lambda side: side.member.real_name),
    ("signup", "signup", lambda side: side.activity.title),
    ("member", "member", lambda side: side.member.real_name),
]


@pytest.mark.parametrize(("model", "attr", "name"), SCOPED)
def test_staff_list_only_their_communitys_objects(world, client, model, attr, name):
    client.force_login(world.a.staff)
    response = client.get(url(model, "index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert name(world.a) in page
    assert name(world.b) not in page


@pytest.mark.parametrize(("model", "attr", "name"), SCOPED)
def test_staff_cannot_open_another_communitys_objects(world, client, model, attr, name):
    client.force_login(world.a.staff)
    other = getattr(world.b, attr)
    for view in ("inspect", "edit", "delete", "history"):
        response = client.get(url(model, view, other.pk))
        assert response.status_code in (302, 404), (view, response.status_code)
        if response.status_code == 302:  # no right to this view at all: Wagtail sends them home
            assert response.url == "/admin/"
    own = getattr(world.a, attr)
    assert client.get(url(model, "inspect", own.pk)).status_code == 200


@pytest.mark.parametrize(("model", "attr", "name"), SCOPED)
def test_staff_export_holds_only_their_communitys_rows(world, client, model, attr, name):
    client.force_login(world.a.staff)
    response = client.get(url(model, "index") + "?export=xlsx")
    assert response.status_code == 200
    cells = {str(cell) for row in xlsx_rows(b"".join(response.streaming_content)) for cell in row}
    text = " ".join(cells)
    assert name(world.a) in text
    assert name(world.b) not in text

    csv_response = client.get(url(model, "index") + "?export=csv")
    csv_text = b"".join(csv_response.streaming_content).decode()
    assert name(world.a) in csv_text
    assert name(world.b) not in csv_text


def test_staff_cannot_change_or_delete_another_communitys_need(world, client):
    client.force_login(world.a.staff)
    need = world.b.need
    response = client.post(
        url("need", "edit", need.pk),
        {"community": world.a.community.pk, "title": "改掉", "places": 1},
    )
    assert response.status_code == 404
    assert client.post(url("need", "delete", need.pk)).status_code == 404
    need.refresh_from_db()
    assert need.title == "麒麟社区的需求".replace("麒麟", "方城")
    assert Need.objects.filter(pk=need.pk).exists()


def test_staff_can_only_pick_their_communities_in_forms(world, client):
    client.force_login(world.a.staff)
    response = client.get(url("need", "add"))
    form = response.context["form"]
    assert list(form.fields["community"].queryset) == [world.a.community]

    forged = client.post(
        url("need", "add"), {"community": world.b.community.pk, "title": "越权需求", "places": 1}
    )
    assert forged.status_code == 200
    assert "community" in forged.context["form"].errors
    assert not Need.objects.filter(title="越权需求").exists()


def test_staff_can_add_and_edit_their_own_need(world, client):
    client.force_login(world.a.staff)
    response = client.post(
        url("need", "add"),
        {"community": world.a.community.pk, "title": "陪同老人就医", "places": 2},
    )
    assert response.status_code == 302
    need = Need.objects.get(title="陪同老人就医")
    assert need.community_id == world.a.community.pk
    edit = client.post(
        url("need", "edit", need.pk),
        {"community": world.a.community.pk, "title": "陪同老人就医（周末）", "places": 3},
    )
    assert edit.status_code == 302
    need.refresh_from_db()
    assert (need.title, need.places, need.state) == ("陪同老人就医（周末）", 3, "open")


def test_state_is_never_a_form_field(world, client):
    client.force_login(world.city)
    for model, obj in (("need", world.a.need), ("team", world.a.team), ("post", world.a.post)):
        form = client.get(url(model, "edit", obj.pk)).context["form"]
        assert "state" not in form.fields


def test_organisation_admin_sees_only_their_organisation_and_members(world, client):
    client.force_login(world.organisation_admin)
    members = client.get(url("member", "index")).content.decode()
    assert world.a.member.real_name in members
    assert world.b.member.real_name not in members

    organisations = client.get(url("organisation", "index")).content.decode()
    assert world.organisation_a.name in organisations
    assert world.organisation_b.name not in organisations
    assert client.get(url("organisation", "edit", world.organisation_b.pk)).status_code == 404
    assert client.get(url("member", "edit", world.b.member.pk)).status_code == 404


def test_organisation_admin_sees_their_members_reports_and_signups_read_only(world, client):
    client.force_login(world.organisation_admin)
    reports = client.get(url("report", "index")).content.decode()
    assert world.a.community.title in reports
    assert "确认报到" not in reports
    assert client.get(url("report", "inspect", world.a.report.pk)).status_code == 200
    assert client.get(url("report", "inspect", world.b.report.pk)).status_code == 404
    signups = client.get(url("signup", "index")).content.decode()
    assert world.a.activity.title in signups
    assert world.b.activity.title not in signups

    response = client.post(url("report", "action", world.a.report.pk, "confirm"))
    assert response.status_code == 302
    world.a.report.refresh_from_db()
    assert world.a.report.state == Report.State.PENDING


def test_organisation_admin_has_no_community_work(world, client):
    client.force_login(world.organisation_admin)
    for model in ("need", "needclaim", "team", "teammembership", "post", "postpledge"):
        assert client.get(url(model, "index")).status_code == 302


def test_the_city_sees_every_community(world, client):
    client.force_login(world.city)
    for model, _attr, name in SCOPED:
        page = client.get(url(model, "index")).content.decode()
        assert name(world.a) in page and name(world.b) in page, model


def test_skills_and_themes_are_the_citys(world, client):
    client.force_login(world.a.staff)
    assert client.get(url("skill", "index")).status_code == 302
    assert client.get(url("theme", "index")).status_code == 302
    client.force_login(world.city)
    response = client.post(url("skill", "add"), {"name": "急救", "description": ""})
    assert response.status_code == 302


def _menu_urls(user, rf) -> set[str]:
    from wagtail.admin.menu import admin_menu

    request = rf.get("/admin/")
    request.user = user
    urls = set()
    for item in admin_menu.menu_items_for_request(request):
        urls.add(item.url)
        submenu = getattr(item, "menu", None)
        if submenu is not None:
            urls |= {sub.url for sub in submenu.menu_items_for_request(request)}
    return urls


def test_the_menu_shows_each_user_only_what_they_may_use(world, rf):
    staff_menu = _menu_urls(world.a.staff, rf)
    assert url("report", "index") in staff_menu
    assert url("skill", "index") not in staff_menu
    assert url("organisation", "index") not in staff_menu

    admin_menu = _menu_urls(world.organisation_admin, rf)
    assert url("member", "index") in admin_menu
    assert url("need", "index") not in admin_menu

    assert url("skill", "index") in _menu_urls(world.city, rf)


def test_one_policy_answers_for_every_view(world):
    staff = world.a.staff
    assert set(scoped_queryset(Report, staff)) == {world.a.report}
    assert set(scoped_queryset(Report, world.city)) == {world.a.report, world.b.report}
    assert set(scoped_queryset(Report, world.organisation_admin)) == {world.a.report}
    assert not scoped_queryset(Need, world.organisation_admin).exists()
    policy = POLICIES[Report]
    assert policy.user_has_permission_for_instance(staff, "view", world.a.report)
    assert not policy.user_has_permission_for_instance(staff, "view", world.b.report)
    assert staff in policy.users_with_permission("view")


def test_someone_with_no_role_sees_nothing(world, client):
    editor = admin_user("editor-only")
    client.force_login(editor)
    assert client.get(url("report", "index")).status_code == 302
    assert not scoped_queryset(Report, editor).exists()
    assert "待我处理" not in client.get("/admin/").content.decode()
