"""Who may manage what: the one answer to "which communities (and organisations) may this
user manage", used by views, the admin, the API and exports alike.

Community staff are the members of a Wagtail group that holds a page permission on that
community's page itself (the staff's branch of the tree). The city (superusers, and users with
`volunteering.manage_all_communities`) manage every community. Organisation admins manage the
organisations that list them as admins."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from wagtail.models import GroupPagePermission, Page
from wagtail.permissions import policy_registry

from volunteering.communities.models import CommunityPage
from volunteering.people.models import Member, Organisation

CITY_PERMISSION = "volunteering.manage_all_communities"
# A member belongs to a community's staff while a report to it is pending or confirmed: the
# states of `reporting.models.Report.ACTIVE_STATES` (a test holds the two together), named here
# because the rule of who may see whom sits below reporting.
ACTIVE_REPORT_STATES = ("pending", "confirmed")


def is_city_admin(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or user.has_perm(CITY_PERMISSION))
    )


class CommunityIds(frozenset):
    """The ids of the communities a user is staff of, with each one's tree path (for lookups
    by path, e.g. the activities under them) and page (its title): read with the user's page
    permissions, so the lists need no query of their own to know them."""

    pages: dict[int, Page]

    def __new__(cls, pages: dict[int, Page]):
        ids = super().__new__(cls, pages)
        ids.pages = pages
        return ids

    @property
    def paths(self) -> list[str]:
        return [page.path for page in self.pages.values()]


def _community_pages_from_permissions(user) -> dict[int, Page]:
    """The community pages on which `user`'s groups hold a page permission, from Wagtail's own
    cache of the user's page permissions (the admin reads it on every page for its menus and
    checks): no query of its own in the admin."""
    community_type = ContentType.objects.get_for_model(CommunityPage).pk
    permissions = policy_registry.get_by_type(Page).get_cached_permissions_for_user(user)
    return {p.page_id: p.page for p in permissions if p.page.content_type_id == community_type}


def _managed_ids(user) -> CommunityIds:
    """The communities whose page permissions `user`'s groups hold, read once and cached on
    the user: the admin lists ask on every row (issue 11), so the cached answer is returned
    without building a queryset. (Wagtail gives superusers no permission rows: theirs are read
    here; superusers are the city anyway.)"""
    cached = getattr(user, "_managed_community_ids", None)
    if cached is None:
        if user.is_superuser:
            pages = {
                page.pk: page
                for page in Page.objects.filter(
                    pk__in=GroupPagePermission.objects.filter(
                        group__user=user, page__in=CommunityPage.objects.all()
                    ).values("page_id")
                )
            }
        else:
            pages = _community_pages_from_permissions(user)
        cached = CommunityIds(pages)
        user._managed_community_ids = cached
    return cached


def managed_organisation_ids(user) -> set[int]:
    """The organisations `user` administers (not the city's "all"); read once per user object
    (the menus, filters and rows of one request all ask)."""
    cached = getattr(user, "_managed_organisation_ids", None)
    if cached is None:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            cached = set()
        else:
            cached = set(Organisation.objects.filter(admins=user).values_list("pk", flat=True))
        user._managed_organisation_ids = cached
    return cached


def manages_organisations(user) -> bool:
    """Whether `user` administers organisations: the city (all of them) or an organisation's
    admin (no query once the user's organisations are known)."""
    return is_city_admin(user) or bool(managed_organisation_ids(user))


def communities_managed_by(user) -> QuerySet[CommunityPage]:
    """Communities whose staff `user` is (all of them for the city). Cached on the user."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return CommunityPage.objects.none()
    if is_city_admin(user):
        return CommunityPage.objects.all()
    return CommunityPage.objects.filter(pk__in=_managed_ids(user))


def managed_community_ids(user) -> set[int]:
    if is_city_admin(user):
        return set(CommunityPage.objects.values_list("pk", flat=True))
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return set(_managed_ids(user))


def staff_community_ids(user) -> CommunityIds:
    """The communities `user` is staff of through page permissions (not the city's "all"),
    with their paths and pages (`CommunityIds`)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return CommunityIds({})
    return _managed_ids(user)


def staff_users_of(community_id: int) -> QuerySet:
    """The active users who are staff of this community itself (by the page-permission rule
    above; not the city): those told of its residents' new requests."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__page_permissions__page_id=community_id)
        .distinct()
    )


def city_users() -> QuerySet:
    """The active users who hold the city permission, directly or through a group (superusers
    are the site's technical admins: like Wagtail's review emails, city emails skip them)."""
    app_label, codename = CITY_PERMISSION.split(".")
    holds = Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    ) | Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    )
    return get_user_model().objects.filter(holds, is_active=True).distinct()


def is_staff_of(user, community_id: int | None) -> bool:
    if community_id is None:
        return False
    if is_city_admin(user):
        return True
    return community_id in managed_community_ids(user)


def organisations_managed_by(user) -> QuerySet[Organisation]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organisation.objects.none()
    if is_city_admin(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=managed_organisation_ids(user))


def communities_in_view_of(user) -> QuerySet[CommunityPage]:
    """The communities a user's admin lists are about, for their filters' choices: every one for
    the city; for staff, the communities they manage; for organisation admins, those their
    organisations are linked to (挂钩联系) and those their members have reported to. A few rows
    for everyone but the city, whatever the size of the city."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return CommunityPage.objects.none()
    if is_city_admin(user):
        return CommunityPage.objects.all()
    condition = Q(pk__in=_managed_ids(user))
    if organisation_ids := managed_organisation_ids(user):
        organisations = Organisation.objects.filter(pk__in=organisation_ids)
        condition |= Q(pk__in=organisations.values("linked_community_id")) | Q(
            pk__in=Member.objects.filter(organisation__in=organisations).values(
                "reports__community_id"
            )
        )
    return CommunityPage.objects.filter(condition)


def organisations_in_view_of(user) -> QuerySet[Organisation]:
    """The organisations a user's admin lists are about, for their filters' choices: every one
    for the city; for organisation admins, their own; for staff, the organisations linked to
    their communities and those whose members have reported to them."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organisation.objects.none()
    if is_city_admin(user):
        return Organisation.objects.all()
    community_ids = staff_community_ids(user)
    condition = Q(pk__in=managed_organisation_ids(user))
    if community_ids:
        condition |= Q(linked_community_id__in=community_ids) | Q(
            pk__in=Member.objects.filter(reports__community_id__in=community_ids).values(
                "organisation_id"
            )
        )
    return Organisation.objects.filter(pk__in=Organisation.objects.filter(condition).values("pk"))


def member_of(user) -> Member | None:
    """The member record of a signed-in user, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.member
    except Member.DoesNotExist:
        return None


def can_see_member_phone(user, member: Member) -> bool:
    """A member's phone is private: the member, staff of a community they reported to, and
    their organisation's admins."""
    if not getattr(user, "is_authenticated", False):
        return False
    if member.user_id == user.pk or is_city_admin(user):
        return True
    if member.organisation_id in managed_organisation_ids(user):
        return True
    community_ids = set(
        member.reports.filter(state__in=ACTIVE_REPORT_STATES).values_list("community_id", flat=True)
    )
    return bool(community_ids & managed_community_ids(user))
