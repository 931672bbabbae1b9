"""Draft titles stay with those who may edit them. Wagtail's page chooser (browse and search)
lists every page of the tree by title, and its "page types usage" report names the last edited
page of each type: staff of one community saw the titles of another community's unpublished
pages there. Here the chooser lists live pages and the pages under the user's own page
permissions, and the report is for those who edit the whole site (the city's editors; its
counts and last edited pages are site-wide). Wagtail's other listings (explorer, page search,
aging, locked and workflow reports, usage views) already keep to the user's permissions.

Found by the permission sweep (tests/portal/test_permission_sweep.py), with the ids of another
community's draft in the address: the chooser's browse view named its parent page, the bulk
actions' confirmation pages (`/admin/bulk/wagtailcore/page/<action>/?id=…`) listed the pages
asked for by title, and the move confirmation (a GET, which Wagtail does not check) named the
page and its destination. The chooser now browses only pages it may list, the bulk actions
drop the pages the user may not see (and "all of a parent's children" only of a parent under
the user's own page permissions), and a move is confirmed only when the user may make it
(`refuse_moves_not_allowed`, a `before_move_page` hook); the page workflow views, which named
the page in an error message, answer 404 instead for a page the user may not see
(`OnlyPagesOneMaySee`, in the portal's page viewset)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.bulk_action import index as bulk_action_index
from wagtail.admin.views.chooser import BrowseView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
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


def _visible(pages: QuerySet, user) -> QuerySet:
    return chooser_pages(pages, user)


@require_admin_access
def page_chooser_browse(request, parent_page_id: int):
    """Wagtail's chooser browsing a parent: a parent the chooser would not list is a 404."""
    if not _visible(Page.objects.filter(pk=parent_page_id), request.user).exists():
        raise Http404
    return BrowseView.as_view()(request, parent_page_id=parent_page_id)


@require_admin_access
def bulk_action(request, app_label: str, model_name: str, action: str):
    """Wagtail's bulk actions, asked only about pages the user may see (and documents and
    images the user may change: their confirmation pages list what is asked by title)."""
    if (app_label, model_name) == ("wagtailcore", "page"):
        request.GET = _visible_ids(request)
    elif (app_label, model_name) in MEDIA:
        request.GET = _own_media_ids(request, MEDIA[app_label, model_name])
    return bulk_action_index(request, app_label, model_name, action)


MEDIA = {
    ("wagtaildocs", "document"): get_document_model,
    ("wagtailimages", "image"): get_image_model,
}


def _own_media_ids(request, get_model):
    policy = policy_registry.get_by_type(get_model())
    query = request.GET.copy()
    pks = [pk for pk in query.getlist("id") if pk.isdigit()]
    own = policy.instances_user_has_any_permission_for(request.user, ["change", "delete"])
    query.setlist("id", [str(pk) for pk in own.filter(pk__in=pks).values_list("pk", flat=True)])
    return query


def _visible_ids(request):
    query = request.GET.copy()
    ids = query.getlist("id")
    if "all" in ids:
        parent = Page.objects.filter(pk=query.get("childOf") or 0).first()
        if parent is None or not _edits_under(request.user, parent):
            raise PermissionDenied
        return query
    pks = [pk for pk in ids if pk.isdigit()]
    visible = _visible(Page.objects.filter(pk__in=pks), request.user).values_list("pk", flat=True)
    query.setlist("id", [str(pk) for pk in visible])
    return query


def _edits_under(user, page: Page) -> bool:
    return edits_whole_site(user) or any(
        page.path.startswith(path) for path in _permission_paths(user)
    )


def refuse_moves_not_allowed(request, page: Page, destination: Page):
    """Wagtail's move confirmation shows the page and its destination on a GET without asking
    whether the user may move it there (its POST asks): ask first."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


class OnlyPagesOneMaySee:
    """For Wagtail's page workflow views (action, its data, cancelling, the task's preview):
    when the page is not waiting in that task they say so in a message naming the page, before
    asking who is asking. For a page the user may not see, that answer is a 404 instead."""

    def _hide_unless_visible(self):
        if not _visible(Page.objects.filter(pk=self.object.pk), self.request.user).exists():
            raise Http404

    def add_not_in_moderation_error(self):
        self._hide_unless_visible()
        super().add_not_in_moderation_error()

    def add_error_message(self):
        self._hide_unless_visible()
        super().add_error_message()
