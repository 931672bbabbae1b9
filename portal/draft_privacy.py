"""Draft titles stay with those who may edit them. Wagtail's page chooser (browse and search)
lists every page of the tree by title, and its "page types usage" report names the last edited
page of each type: staff of one community saw the titles of another community's unpublished
pages there. Here the chooser lists live pages and the pages under the user's own page
permissions, and the report is for those who edit the whole site (the city's editors; its
counts and last edited pages are site-wide). Wagtail's other listings (explorer, page search,
aging, locked and workflow reports, usage views) already keep to the user's permissions."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.models import Page
from wagtail.permissions import policy_registry

EDITING = ("add_page", "change_page", "publish_page")
WHOLE_SITE_DEPTH = 2  # the tree's root (1) and the site's home page (2)


def _permission_paths(user) -> list[str]:
    # Wagtail's own cache of the user's page permissions (read once per request, with their
    # pages, for the admin's menus and checks): the admin menu asks this on every page.
    permissions = policy_registry.get_by_type(Page).get_cached_permissions_for_user(user)
    return [p.page.path for p in permissions if p.permission.codename in EDITING]


def edits_whole_site(user) -> bool:
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(len(path) // 4 <= WHOLE_SITE_DEPTH for path in _permission_paths(user))


def chooser_pages(pages: QuerySet, user) -> QuerySet:
    """Live pages, and any page under one the user may add to, edit or publish."""
    if edits_whole_site(user):
        return pages
    visible = Q(live=True)
    for path in _permission_paths(user):
        visible |= Q(path__startswith=path)
    return pages.filter(visible)


class WholeSitePageTypesUsageView(PageTypesUsageReportView):
    def dispatch(self, request, *args, **kwargs):
        if not edits_whole_site(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
