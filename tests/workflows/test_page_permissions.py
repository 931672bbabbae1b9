"""The page permission tester every page type uses (`workflows.page_permissions`) answers "may
delete" and "may move" exactly as Wagtail's own, for pages with and without children, live or
draft, owned or not, whatever the user's page permissions."""

import itertools

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, PagePermissionTester

from tests import factories
from workflows.page_permissions import LeafAwarePagePermissionTester

PERMISSION_SETS = [
    ("change_page",),
    ("add_page",),
    ("add_page", "publish_page"),
    ("change_page", "publish_page"),
    ("add_page", "change_page", "bulk_delete_page"),
]


def user_with(site_tree, codenames, n):
    group = Group.objects.create(name=f"编辑{n}")
    for codename in codenames:
        GroupPagePermission.objects.create(
            group=group,
            page=site_tree.community,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    user = factories.UserFactory()
    user.groups.add(group)
    return user


@pytest.mark.django_db
def test_the_tester_answers_as_wagtails_own(site_tree):
    users = [user_with(site_tree, codenames, n) for n, codenames in enumerate(PERMISSION_SETS)]
    pages = []
    for live, owner in itertools.product((True, False), (users[1], None)):
        leaf = factories.ActivityPageFactory(parent=site_tree.community, live=live, owner=owner)
        pages.append(leaf)
    parent = factories.ActivityPageFactory(parent=site_tree.community, live=False)
    factories.ActivityPageFactory(parent=parent, live=False)
    live_parent = factories.ActivityPageFactory(parent=site_tree.community, live=False)
    factories.ActivityPageFactory(parent=live_parent)
    pages += [parent.specific_class.objects.get(pk=p.pk) for p in (parent, live_parent)]
    for user, page in itertools.product(users, pages):
        ours, wagtails = LeafAwarePagePermissionTester(user, page), PagePermissionTester(user, page)
        assert (ours.can_delete(), ours.can_move()) == (wagtails.can_delete(), wagtails.can_move())
        assert isinstance(page.permissions_for_user(user), LeafAwarePagePermissionTester)
