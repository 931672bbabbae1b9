"""Wagtail's page editor for every page type (registered in `portal/wagtail_hooks.py` in place
of Wagtail's default page viewset):

- **Readable slugs.** A new page's slug left empty or in Chinese becomes pinyin
  (`portal.slugs`), unique among its siblings; published pages keep theirs.
- **No 500 when two saves race.** Wagtail 8 autosaves a new page while one may press 保存草稿:
  both requests create the page. The second is told, as a form error, that the page was just
  saved and where; a save whose model validation fails after the form's (another request took
  the slug in between) is answered with the form and its errors, its writes rolled back.
- **The explorer's cost does not depend on its rows** (issue 11): the rows with their page
  types' fields, their branches' "anything live below" and the view restrictions are read
  without a query per row or per page type (`PageExplorerView`). The rest of the page (menus,
  filters, side panels, breadcrumbs) is Wagtail's: 29 queries for community staff, 25 for a
  superuser (tests/volunteering/admin/test_list_queries.py).
- **A copy to a parent that does not exist** is the form's error, not Wagtail's 500
  (`PageCopyView`)."""

import datetime
from functools import cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.forms.forms import NON_FIELD_ERRORS
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.admin.ui.tables.pages import ParentPageColumn
from wagtail.admin.views.pages import workflow as page_workflow
from wagtail.admin.views.pages.copy import CopyView
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page

from portal.draft_privacy import OnlyPagesOneMaySee
from portal.input_guard import LARGEST_ID
from portal.slugs import needs_readable_slug, readable_slug, unique_sibling_slug
from portal.specific_rows import specific_page, with_specific_rows
from portal.view_restrictions import restrictions

# A new page with the same title by the same author under the same parent, created this
# recently and never published, is the same page saved twice (autosave and 保存草稿).
TWIN_WINDOW = datetime.timedelta(minutes=2)


class ReadableSlugFormMixin:
    """For a page form: an empty or Chinese slug of a never-published page becomes pinyin."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields and needs_readable_slug("", self.instance):
            self.fields["slug"].required = False  # made from the title when left empty

    def clean(self):
        if "slug" in self.fields and needs_readable_slug(
            self.cleaned_data.get("slug") or "", self.instance
        ):
            self.cleaned_data["slug"] = unique_sibling_slug(
                readable_slug(self.cleaned_data.get("title") or ""),
                parent=self.parent_page,
                page=self.instance,
            )
        return super().clean()


@cache
def with_readable_slugs(form_class):
    return type(form_class.__name__, (ReadableSlugFormMixin, form_class), {})


def _add_model_errors(form, error: ValidationError) -> None:
    """A model's validation error on the form: on its field when the form has it."""
    messages = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error}
    for field, errors in messages.items():
        form.add_error(field if field in form.fields else None, errors)


class SafeSaveMixin:
    def get(self, request, *args, **kwargs):
        self.form_class = with_readable_slugs(self.form_class)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.form_class = with_readable_slugs(self.form_class)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ValidationError as error:
            _add_model_errors(form, error)
            return self.form_invalid(form)


class PageCreateView(SafeSaveMixin, CreateView):
    def form_valid(self, form):
        twin = self.just_saved_twin(form)
        if twin is not None:
            form.add_error(
                None,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("“%(title)s”刚刚已保存（可能是自动保存）。请在已保存的页面上继续编辑：")
                    % {"title": twin.draft_title},
                    reverse("wagtailadmin_pages:edit", args=(twin.pk,)),
                    _("打开已保存的页面"),
                ),
            )
            return self.form_invalid(form)
        return super().form_valid(form)

    def just_saved_twin(self, form) -> Page | None:
        title = form.cleaned_data.get("title")
        if not title:
            return None
        return (
            self.parent_page.get_children()
            .type(self.page_class)
            .filter(
                owner=self.request.user,
                draft_title=title,
                live=False,
                first_published_at__isnull=True,
                latest_revision_created_at__gte=timezone.now() - TWIN_WINDOW,
            )
            .order_by("-pk")
            .first()
        )


class PageEditView(SafeSaveMixin, EditView):
    pass


class PageCopyView(CopyView):
    """Wagtail's copy looks the posted parent up before its form validates it, so a forged
    `new_parent_page` (no such page, not a number) was a 500: it is the form's "not a valid
    choice" error instead, nothing copied (tests/portal/test_page_actions_fuzz.py)."""

    def post(self, request, *args, **kwargs):
        parent = request.POST.get("new_parent_page", "")
        if not (parent.isdigit() and int(parent) <= LARGEST_ID):
            return self.form_invalid(self.get_form())
        if not Page.objects.filter(pk=int(parent)).exists():
            return self.form_invalid(self.get_form())
        return super().post(request, *args, **kwargs)


def _seen_only(view_class):
    return type(view_class.__name__, (OnlyPagesOneMaySee, view_class), {})


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

    def get(self, request, parent_page_id=None):
        # Wagtail's listing reads every view restriction to label private pages
        # (`test_page_is_public`) unless the request has them: from the shared cache.
        request.all_page_view_restriction_paths = [r.path for r in restrictions()]
        return super().get(request, parent_page_id)

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
        if getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            pages = pages.prefetch_workflow_states()
        if self.i18n_enabled:
            pages = pages.prefetch_related("locale").annotate_has_untranslated_locale()
        live_in_branch = Page.objects.filter(
            path__startswith=OuterRef("path"), depth__gte=OuterRef("depth"), live=True
        )
        return (
            pages.annotate_site_root_state()
            .annotate_approved_schedule()
            .annotate(_branch_has_live_page=Exists(live_in_branch))
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


class PortalPageViewSet(PageViewSet):
    add_view_class = PageCreateView
    edit_view_class = PageEditView
    copy_view_class = PageCopyView
    workflow_action_view_class = _seen_only(page_workflow.WorkflowActionView)
    collect_workflow_action_data_view_class = _seen_only(
        page_workflow.CollectWorkflowActionDataView
    )
    confirm_workflow_cancellation_view_class = _seen_only(
        page_workflow.ConfirmWorkflowCancellationView
    )
    workflow_preview_view_class = _seen_only(page_workflow.PreviewRevisionForTaskView)
    index_view_class = PageExplorerView


page_viewset = PortalPageViewSet()
