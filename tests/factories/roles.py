"""Who may do what: community staff, reviewers, and the users who enter the Wagtail admin
(`access_admin`), each with their scope in volunteering; review scopes (审核范围)."""

import factory
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from tests.factories.base import UserFactory
from workflows.editorial import CITY_REVIEWERS
from workflows.models import ReviewScope


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def make_staff(community, *, username: str | None = None, **user_fields):
    """A user who is staff of `community`: in a group holding a page permission on the
    community page itself (the rule of `volunteering.scopes`), like the demo's groups.
    `community_staff` is the same person who also enters the admin."""
    group, _created = Group.objects.get_or_create(name=f"{community.title}工作人员")
    GroupPagePermission.objects.get_or_create(
        group=group, page=community, permission=_permission("wagtailcore", "change_page")
    )
    fields = {"username": username} if username else {}
    user = UserFactory(**fields, **user_fields)
    user.groups.add(group)
    return user


def make_reviewer(community=None, *, username: str | None = None, **user_fields):
    """A reviewer of `community`'s pages (its "XX社区审核人" group, with a ReviewScope on the
    community page), or with `community=None` a city reviewer (城市审核人, made by the
    workflows data migration), who reviews city-wide pages and gives the final approval.
    Reviewers hold no page permission: they reach the editor through the workflow task."""
    name = f"{community.title}审核人" if community is not None else CITY_REVIEWERS
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    if community is not None:
        ReviewScope.objects.get_or_create(group=group, page=community)
    fields = {"username": username} if username else {}
    user = UserFactory(**fields, **user_fields)
    user.groups.add(group)
    return user


def _admin_group() -> Group:
    group, _created = Group.objects.get_or_create(name="后台用户")
    group.permissions.add(_permission("wagtailadmin", "access_admin"))
    return group


def admin_user(username: str, **fields):
    """A user who may enter the Wagtail admin, and nothing more by themselves."""
    user = UserFactory(username=username, **fields)
    user.groups.add(_admin_group())
    return user


def community_staff(community, username: str):
    """Staff of `community` (`make_staff`) who use the admin."""
    user = make_staff(community, username=username)
    user.groups.add(_admin_group())
    return user


def city_user(username: str = "city"):
    """The city (市级): manages every community (`volunteering.manage_all_communities`)."""
    user = admin_user(username)
    user.user_permissions.add(_permission("volunteering", "manage_all_communities"))
    return user


def organisation_admin(organisation, username: str):
    """An admin of `organisation` (单位管理员): sees its members, their reports and results."""
    user = admin_user(username)
    organisation.admins.add(user)
    return user


class ReviewScopeFactory(factory.django.DjangoModelFactory):
    """A review scope (审核范围): a reviewers' group over a page; pass `page=`."""

    class Meta:
        model = ReviewScope

    group = factory.Sequence(lambda n: Group.objects.get_or_create(name=f"审核人（测试）{n}")[0])
