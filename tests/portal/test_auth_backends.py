"""Permissions come from one query (`portal.auth_backends`) and answer as Django's own: a
user's own permissions and their groups', none for an inactive user, all for a superuser."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories


def permission(codename):
    return Permission.objects.get(codename=codename)


@pytest.mark.django_db
def test_own_and_group_permissions_in_one_query():
    user = factories.UserFactory()
    user.user_permissions.add(permission("manage_all_communities"))
    group = Group.objects.create(name="后台")
    group.permissions.add(permission("access_admin"))
    user.groups.add(group)
    with CaptureQueriesContext(connection) as captured:
        assert user.has_perm("volunteering.manage_all_communities")
        assert user.has_perm("wagtailadmin.access_admin")
        assert not user.has_perm("wagtailcore.add_page")
    assert len(captured) == 1
    assert user.get_all_permissions() == {
        "volunteering.manage_all_communities",
        "wagtailadmin.access_admin",
    }


@pytest.mark.django_db
def test_inactive_users_hold_nothing_and_superusers_everything():
    inactive = factories.UserFactory(is_active=False)
    inactive.user_permissions.add(permission("access_admin"))
    assert not inactive.has_perm("wagtailadmin.access_admin")
    superuser = factories.UserFactory(is_superuser=True)
    assert superuser.has_perm("wagtailadmin.access_admin")
    assert "wagtailadmin.access_admin" in superuser.get_all_permissions()


@pytest.mark.django_db
def test_a_session_signed_in_under_djangos_backend_stays_signed_in(client, member):
    """Signed in before the deployment that brought the portal's backend: not signed out."""
    from django.contrib.auth import BACKEND_SESSION_KEY

    client.force_login(member.user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/my/")
    assert response.status_code == 200
    assert response.context["request"].user == member.user
    assert client.session[BACKEND_SESSION_KEY] == "portal.auth_backends.ModelBackendOneQuery"
