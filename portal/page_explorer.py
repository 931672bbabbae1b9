"""Wagtail's page explorer (`/admin/pages/<id>/`), in a number of queries that depends neither
on its rows, nor on their page types, nor on the size of the city (issue 11).

- **The rows** with their page types' fields, their branches' "anything live below" and the view
  restrictions, without a query per row or per page type (`PageExplorerView.annotate_queryset`).
- **The page explored** in one query: as its own type, with its latest and live revisions (the
  status side panel reads both), whether a page below it is live (its move and delete buttons),
  whether it has an approved schedule and an active workflow. Wagtail read it, then its workflow
  states, then its specific row, then its scheduled revision, then its two revisions, then
  its branch: seven queries. Only a page with a schedule or in moderation costs its scheduled
  revision or its workflow states, as Wagtail reads them (`explored_page`).
- **Which viewset serves a page** (Wagtail's router reads the page's content type before every
  page view): from the page tree's cache (`portal.page_tree_cache`), as a page never changes
  type (`install`).

What remains is Wagtail's page around the list: sign-in and permissions, menus, filters,
breadcrumbs, the side panel's usage count: 19 queries for community staff, 14 for a superuser,
at every scale (bench/README.md lists them query by query).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, QuerySet
from django.db.models.functions import Cast
from django.forms import CheckboxSelectMultiple
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy
from django_filters.fields import ModelChoiceIterator, ModelMultipleChoiceField
from wagtail.admin.filters import ContentTypeModelMultipleChoiceField, MultipleContentTypeFilter
from wagtail.admin.ui.tables.pages import ParentPageColumn
from wagtail.admin.views.pages.listing import (
    ExplorableIndexView,
    GenericPageFilterSet,
    IndexView,
    SiteFilter,
)
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.models import (
    Page,
    Site,
    WorkflowState,
    get_page_content_types,
    get_page_models,
)

from portal.page_tree_cache import tree_cached
from portal.specific_rows import specific_page, with_specific_rows
from portal.view_restrictions import restrictions

_wagtail_content_type_id_by_page_id = type(page_viewset_registry).get_content_type_id_by_page_id


def _live_in_branch():
    """Is the outer page, or one below it, live (`workflows.page_permissions`)?"""
    return Exists(
        Page.objects.filter(
            path__startswith=OuterRef("path"), depth__gte=OuterRef("depth"), live=True
        )
    )


def _workflows_enabled() -> bool:
    return getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True)


def _active_workflow_states():
    """Wagtail's `prefetch_workflow_states` of a base page: its active states, with their task."""
    return WorkflowState.objects.active().select_related("current_task_state__task")


def explored_page(pk) -> Page:
    """The page explored, as its own type, with what the explorer reads of it (one query)."""
    in_workflow = _active_workflow_states().filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
    )
    row = get_object_or_404(
        with_specific_rows(Page.objects.filter(pk=pk))
        .select_related("latest_revision", "live_revision")
        .annotate_approved_schedule()
        .annotate(_branch_has_live_page=_live_in_branch(), _in_workflow=Exists(in_workflow))
    )
    if _workflows_enabled():
        row._current_workflow_states = (
            list(_active_workflow_states().filter(**_states_of(row))) if row._in_workflow else []
        )
    page = specific_page(row)
    if page is not row:  # the revisions read with the base row
        page.latest_revision, page.live_revision = row.latest_revision, row.live_revision
    if not row._approved_schedule:
        page.__dict__["scheduled_revision"] = None  # Wagtail's cached_property, known empty
    return page


def _states_of(page: Page) -> dict:
    return {
        "base_content_type": ContentType.objects.get_for_model(Page),
        "object_id": str(page.pk),
    }


def explorable_root(policy, user) -> Page | None:
    """Wagtail's `explorable_root_instance` (the page common to those the user may explore
    directly), kept on the user where Wagtail keeps it. When those pages are one page (a
    community's staff), it is that page, already read with the user's page permissions: not
    read again by its path; for a superuser, the tree's root, read once (Wagtail read it, then
    read it again by its path)."""
    cache_name = policy._explorable_root_instance_cache_name
    if not hasattr(user, cache_name):
        pages = list(policy.instances_with_direct_explore_permission(user))
        if len({page.path for page in pages}) == 1:
            setattr(user, cache_name, pages[0])
    return policy.explorable_root_instance(user)


def page_content_types() -> list[ContentType]:
    """`get_page_content_types(include_base_page_type=False)`, from Django's cache of content
    types: every page type but the base one, by model name."""
    models = [model for model in get_page_models() if model is not Page]
    types = ContentType.objects.get_for_models(*models).values()
    return sorted(types, key=lambda content_type: content_type.model)


def cached_sites() -> list[Site]:
    """Every site, in Wagtail's order, kept with the page tree (a site saved or deleted
    forgets it: `portal.page_tree_cache`)."""
    return tree_cached("sites", lambda: list(Site.objects.all()))


class _ListedChoices(ModelChoiceIterator):
    """A filter's choices from the list its field's `listed()` gives, not a query (validating
    a choice still asks the filter's queryset, Wagtail's)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for instance in self.field.listed():
            yield self.choice(instance)

    def __len__(self):
        labels = [self.field.empty_label, self.field.null_label]
        return len(self.field.listed()) + sum(label is not None for label in labels)


class _PageTypeField(ContentTypeModelMultipleChoiceField):
    iterator = _ListedChoices
    listed = staticmethod(page_content_types)


class _PageTypeFilter(MultipleContentTypeFilter):
    field_class = _PageTypeField


class _SiteField(ModelMultipleChoiceField):
    iterator = _ListedChoices
    listed = staticmethod(cached_sites)


class _SiteFilter(SiteFilter):
    field_class = _SiteField


class ExplorerFilterSet(GenericPageFilterSet):
    """Wagtail's filters of the explorer and the page search, the choices of page type and
    site from caches: two queries on every explorer page."""

    content_type = _PageTypeFilter(
        label=gettext_lazy("Page type"),
        queryset=lambda request: get_page_content_types(include_base_page_type=False),
        widget=CheckboxSelectMultiple,
    )
    site = _SiteFilter(
        label=gettext_lazy("Site"), queryset=Site.objects.all(), widget=CheckboxSelectMultiple
    )


class PageExplorerView(ExplorableIndexView):
    """Wagtail's explorer of a page's children. Its table leaves out the parent column (every
    row's parent is the page explored), yet Wagtail keeps the column in its columns and so loads
    each row's parent page, specific, with its workflow states, site and content types: eight
    queries on every listing. Searching loads the parents itself (`ExplorableIndexView`)."""

    base_columns = [
        column
        for column in ExplorableIndexView.base_columns
        if not isinstance(column, ParentPageColumn)
    ]
    base_filterset_class = ExplorerFilterSet

    def get(self, request, parent_page_id=None):
        # Wagtail's listing reads every view restriction to label private pages
        # (`test_page_is_public`) unless the request has them: from the shared cache.
        request.all_page_view_restriction_paths = [r.path for r in restrictions()]
        if not parent_page_id:  # the tree's root: Wagtail's, as it was
            return super().get(request, parent_page_id)
        # `ExplorableIndexView.get`, with the page read by `explored_page`.
        self.parent_page = explored_page(parent_page_id)
        root_page = explorable_root(self.permission_policy, request.user)
        if not (
            self.parent_page.pk == root_page.pk or self.parent_page.is_descendant_of(root_page)
        ):
            return redirect(self.index_url_name, root_page.pk)
        self.scheduled_page = self.parent_page.get_scheduled_revision_as_object()
        self.permissions = self.parent_page.permissions_for_user(request.user)
        if self.i18n_enabled and not self.parent_page.is_root():
            self.locale = self.parent_page.locale
            self.translations = self.get_translations()
        else:
            self.locale = None
            self.translations = []
        return IndexView.get(self, request)

    def annotate_queryset(self, pages):
        """Wagtail's annotations, in a number of queries that does not depend on the rows:

        - the rows read with every page type's fields in one query (`portal.specific_rows`),
          not `.specific()`'s one more query per page type among them;
        - content types from Django's cache of them (set in `paginate_queryset`), not a query;
        - not the sites rooted at each row, which nothing in the listing reads (whether a row
          is a site's root is `annotate_site_root_state`'s);
        - whether a row's branch has a live page, which the permission tester asks of every row
          with children (`workflows.page_permissions`), read in the rows' query.
        """
        pages = with_specific_rows(pages, defer_streamfields=True)
        if _workflows_enabled():
            pages = pages.prefetch_workflow_states()
        if self.i18n_enabled:
            pages = pages.prefetch_related("locale").annotate_has_untranslated_locale()
        return (
            pages.annotate_site_root_state()
            .annotate_approved_schedule()
            .annotate(_branch_has_live_page=_live_in_branch())
        )

    def paginate_queryset(self, queryset, page_size):
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = pages = _as_listed(rows)
        return paginator, page, pages, is_paginated

    def get_table(self, object_list):
        # Unpaginated (Wagtail's reordering mode), the rows are the queryset itself: its
        # results are made specific in place, for the table and whatever reads them after.
        if isinstance(object_list, QuerySet):
            object_list._fetch_all()
            object_list._result_cache = _as_listed(object_list._result_cache)
        return super().get_table(object_list)


def _as_listed(rows) -> list[Page]:
    """The explorer's rows as their own page types, their content types from Django's cache."""
    pages = [specific_page(row) for row in rows]
    for page in pages:
        page.content_type = ContentType.objects.get_for_id(page.content_type_id)
    return pages


def _content_type_id_by_page_id(self, page_id):
    """Wagtail's router's read of a page's type, before every page view, kept with the tree."""
    return tree_cached(
        f"page-type:{int(page_id)}", lambda: _wagtail_content_type_id_by_page_id(self, page_id)
    )


def install() -> None:
    """Called from PortalConfig.ready."""
    type(page_viewset_registry).get_content_type_id_by_page_id = _content_type_id_by_page_id
