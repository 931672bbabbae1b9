"""The admin's create and edit forms: members with their accounts, organisations with their
admins, teams and their leaders, and deletions the data does not allow."""

from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse

from tests import factories
from tests.volunteering.admin.support import url
from volunteering.people.models import Member, Organisation
from volunteering.teams.models import Team, TeamMembership
from workflows.statemachine import fixture_states


def test_an_organisation_admin_adds_a_member_with_an_account(world, client):
    client.force_login(world.organisation_admin)
    form = client.get(url("member", "add")).context["form"]
    assert list(form.fields["organisation"].queryset) == [world.organisation_a]
    assert form.initial["organisation"] == world.organisation_a.pk
    response = client.post(
        url("member", "add"),
        {
            "username": "xiaoming",
            "real_name": "小明",
            "organisation": world.organisation_a.pk,
            "phone": "138 0874 0000",
            "email": "xm@example.com",
        },
    )
    assert response.status_code == 302
    member = Member.objects.get(user__username="xiaoming")
    assert (member.organisation, member.phone) == (world.organisation_a, "138 0874 0000")
    assert not member.user.has_usable_password()
    assert member.history.get().history_user == world.organisation_admin


def test_a_member_cannot_be_added_to_another_organisation(world, client):
    client.force_login(world.organisation_admin)
    response = client.post(
        url("member", "add"),
        {"username": "x", "real_name": "某人", "organisation": world.organisation_b.pk},
    )
    assert "organisation" in response.context["form"].errors
    assert not get_user_model().objects.filter(username="x").exists()


def test_a_bad_phone_is_refused_in_the_member_form(world, client):
    client.force_login(world.organisation_admin)
    response = client.post(
        url("member", "edit", world.a.member.pk),
        {"real_name": "张三", "organisation": world.organisation_a.pk, "phone": "打我电话"},
    )
    assert "phone" in response.context["form"].errors


def test_the_city_names_an_organisations_admins_by_username(world, client):
    factories.UserFactory(username="new-admin")
    client.force_login(world.city)
    organisation = world.organisation_b
    data = {"name": organisation.name, "kind": "agency", "admin_usernames": "new-admin  nobody"}
    response = client.post(url("organisation", "edit", organisation.pk), data)
    assert "admin_usernames" in response.context["form"].errors
    data["admin_usernames"] = "new-admin，org-admin-a"
    assert client.post(url("organisation", "edit", organisation.pk), data).status_code == 302
    names = set(organisation.admins.values_list("username", flat=True))
    assert names == {"new-admin", "org-admin-a"}


def test_organisation_admins_edit_their_organisation_but_not_its_admins(world, client):
    client.force_login(world.organisation_admin)
    form = client.get(url("organisation", "edit", world.organisation_a.pk)).context["form"]
    assert "admin_usernames" not in form.fields
    response = client.post(
        url("organisation", "edit", world.organisation_a.pk),
        {"name": "麒麟区人民法院", "kind": "agency", "address": "南宁西路 1 号"},
    )
    assert response.status_code == 302
    world.organisation_a.refresh_from_db()
    assert world.organisation_a.address == "南宁西路 1 号"
    assert world.organisation_admin in world.organisation_a.admins.all()


def test_an_organisation_with_members_is_not_deleted(world, client):
    client.force_login(world.city)
    response = client.post(url("organisation", "delete", world.organisation_a.pk))
    assert response.status_code == 302
    assert Organisation.objects.filter(pk=world.organisation_a.pk).exists()
    assert any("不能删除" in str(m) for m in get_messages(response.wsgi_request))


def test_staff_create_teams_in_their_community_led_by_a_member_of_the_team(world, client):
    client.force_login(world.a.staff)
    response = client.post(url("team", "add"), {"name": "文明引导队"})
    assert "community" in response.context["form"].errors
    response = client.post(
        url("team", "add"), {"name": "文明引导队", "community": world.a.community.pk}
    )
    assert response.status_code == 302
    team = Team.objects.get(name="文明引导队")

    form = client.get(url("team", "edit", team.pk)).context["form"]
    assert not form.fields["leader"].queryset.exists()
    with fixture_states():
        TeamMembership.objects.create(team=team, member=world.a.member, state="approved")
    form = client.get(url("team", "edit", team.pk)).context["form"]
    assert list(form.fields["leader"].queryset) == [world.a.member]


def test_the_city_picks_a_members_organisation_through_the_chooser(world, client):
    """Every organisation (1,476 at city scale) is too many for a select on the member form."""
    client.force_login(world.city)
    page = client.get(url("member", "add")).content.decode()
    assert '<select name="organisation"' not in page
    assert reverse("volunteering_organisation_chooser:choose") in page
    response = client.post(
        url("member", "add"),
        {"username": "citymade", "real_name": "市里添加", "organisation": world.organisation_b.pk},
    )
    assert response.status_code == 302
    assert Member.objects.get(user__username="citymade").organisation == world.organisation_b
