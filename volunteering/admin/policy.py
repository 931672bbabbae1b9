"""Who may see and change what in the volunteering admin: one permission policy for every model,
built on `volunteering.scopes`.

Each model declares a `Scope`: the actions the city may take, the actions community staff may
take on what belongs to their communities, and the actions organisation admins may take on what
belongs to their organisations, with the lookups that say what "belongs" means for that model.
Wagtail asks the policy at every view (menu, index, edit, delete, export, history) and our
views take their querysets from `scoped_queryset`, so an object out of scope is never listed,
exported or opened (404)."""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Q, QuerySet
from wagtail.models import GroupPagePermission
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.page_paths import descendant_paths
from volunteering import scopes
from volunteering.communities.models import CommunityPage
from volunteering.people.models import Member

VIEW = frozenset({"view"})
EDIT = frozenset({"add", "change", "view"})
ALL = frozenset({"add", "change", "delete", "view"})
CommunityLookup = Callable[[Collection[int]], Q]
OrganisationLookup = Callable[[Collection[int]], Q]


@dataclass(frozen=True)
class Scope:
    """What each role may do with one model, and which rows are theirs."""

    city: frozenset[str] = ALL
    staff: frozenset[str] = frozenset()
    organisation: frozenset[str] = frozenset()
    # community ids → the rows that belong to those communities
    by_community: CommunityLookup | None = None
    # organisation ids → the rows that belong to those organisations
    by_organisation: OrganisationLookup | None = None


# The organisations `user` administers (not the city's "all"), cached on the user.
managed_organisation_ids = scopes.managed_organisation_ids

# The communities `user` is staff of through page permissions (not the city's "all"), from the
# ids cached on the user (asked on every row of a list).
staff_community_ids = scopes.staff_community_ids


def _community_paths(community_ids: Collection[int]) -> list[str]:
    """The tree paths of these communities: known already for a user's own communities
    (`scopes.CommunityIds`, read with their page permissions), else one query."""
    if isinstance(community_ids, scopes.CommunityIds):
        return community_ids.paths
    return list(CommunityPage.objects.filter(pk__in=community_ids).values_list("path", flat=True))


def activities_under(community_ids: Collection[int], prefix: str = "activity") -> Q:
    """Rows whose activity page sits under one of these communities (activities are children
    of their community page, so its tree path starts with the community's), as ranges of the
    page tree's path index (`descendant_paths`)."""
    paths = _community_paths(community_ids)
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{prefix}__path__range": descendant_paths(path)}) for path in paths))


def members_reported_to(community_ids: Collection[int]) -> Q:
    """Members with a live (pending or confirmed) report to one of these communities: the
    members a community's staff look after (and whose phone they may see)."""
    return Q(
        pk__in=Member.objects.filter(
            reports__community_id__in=community_ids,
            reports__state__in=scopes.ACTIVE_REPORT_STATES,
        ).values("pk")
    )


# Each model's scope and policy, declared by its capability with `register_scopes`.
SCOPES: dict[type, Scope] = {}
POLICIES: dict[type, "ScopedPermissionPolicy"] = {}


class ScopedPermissionPolicy(BasePermissionPolicy):
    """A Wagtail permission policy answering from a model's `Scope` and `volunteering.scopes`.
    Django's per-model permissions play no part: the city permission, community page
    permissions and organisation admin lists are the only sources of rights."""

    def __init__(self, model, scope: Scope):
        super().__init__(model)
        self.scope = scope

    def _staff_actions(self, user) -> frozenset[str]:
        return self.scope.staff if staff_community_ids(user) else frozenset()

    def _organisation_actions(self, user) -> frozenset[str]:
        return self.scope.organisation if managed_organisation_ids(user) else frozenset()

    def actions_for(self, user) -> frozenset[str]:
        """Every action `user` may take on some row of this model."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return frozenset()
        if scopes.is_city_admin(user):
            return self.scope.city
        return self._staff_actions(user) | self._organisation_actions(user)

    def user_has_permission(self, user, action):
        return action in self.actions_for(user)

    def user_has_any_permission(self, user, actions):
        return bool(self.actions_for(user) & set(actions))

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        actions = set(actions)
        queryset = self.model._default_manager.all()
        if not self.actions_for(user) & actions:
            return queryset.none()
        if scopes.is_city_admin(user):
            return queryset
        conditions = []
        if self.scope.staff & actions and self.scope.by_community:
            if community_ids := staff_community_ids(user):
                conditions.append(self.scope.by_community(community_ids))
        if self.scope.organisation & actions and self.scope.by_organisation:
            if organisation_ids := managed_organisation_ids(user):
                conditions.append(self.scope.by_organisation(organisation_ids))
        if not conditions:
            return queryset.none()
        return queryset.filter(reduce(or_, conditions))

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if scopes.is_city_admin(user):
            return True
        return self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()

    def users_with_any_permission(self, actions):
        """Approximately the users who hold a role that may take one of `actions` here."""
        actions = set(actions)
        users = get_user_model().objects.filter(is_active=True)
        condition = Q(is_superuser=True) | Q(groups__permissions__codename="manage_all_communities")
        if self.scope.staff & actions:
            staff_groups = Group.objects.filter(
                Exists(
                    GroupPagePermission.objects.filter(
                        group=OuterRef("pk"), page__in=CommunityPage.objects.all()
                    )
                )
            )
            condition |= Q(groups__in=staff_groups)
        if self.scope.organisation & actions:
            condition |= Q(managed_organisations__isnull=False)
        return users.filter(condition).distinct()


def register_scopes(scopes_by_model: dict[type, Scope]) -> None:
    """Declare who may do what with each model, and give Wagtail its policy: called by each
    capability's viewsets module, which the admin imports before any view asks for a policy."""
    for model, scope in scopes_by_model.items():
        SCOPES[model] = scope
        POLICIES[model] = ScopedPermissionPolicy(model, scope)
        register_permission_policy(model, POLICIES[model], exact_class=True)


def scoped_queryset(model, user, actions: Collection[str] = ("view",)) -> QuerySet:
    """The rows of `model` on which `user` may take one of `actions`: THE queryset of every
    admin view, export and action of the volunteering admin."""
    return POLICIES[model].instances_user_has_any_permission_for(user, actions)


def phone_visible_condition(user) -> Q:
    """Members whose phone `user` may see, as a query condition (the rule of
    `scopes.can_see_member_phone`, for whole lists at once)."""
    if scopes.is_city_admin(user):
        return Q(pk__isnull=False)
    condition = Q(user_id=user.pk) | Q(organisation__admins=user)
    if community_ids := staff_community_ids(user):
        condition |= members_reported_to(community_ids)
    return condition


def members_with_visible_phone(user, member_ids: Collection[int]) -> set[int]:
    """Of `member_ids`, those whose phone `user` may see (one query)."""
    if not getattr(user, "is_authenticated", False) or not member_ids:
        return set()
    return set(
        Member.objects.filter(pk__in=member_ids)
        .filter(phone_visible_condition(user))
        .values_list("pk", flat=True)
        .distinct()
    )


def community_queryset(model, user) -> QuerySet:
    """The rows of `model` that belong to the communities `user` is staff of (all of them for
    the city), whatever else the user may see: the work that awaits them as staff."""
    queryset = model._default_manager.all()
    if scopes.is_city_admin(user):
        return queryset
    scope = SCOPES[model]
    community_ids = staff_community_ids(user)
    if not community_ids or scope.by_community is None:
        return queryset.none()
    return queryset.filter(scope.by_community(community_ids))
