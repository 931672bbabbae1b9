"""Wagtail's page editor for every page type (registered in `portal/wagtail_hooks.py` in place
of Wagtail's default page viewset):

- **Readable slugs.** A new page's slug left empty or in Chinese becomes pinyin
  (`portal.slugs`), unique among its siblings; published pages keep theirs.
- **No 500 when two saves race.** Wagtail 8 autosaves a new page while one may press 保存草稿:
  both requests create the page. The second is told, as a form error, that the page was just
  saved and where; a save whose model validation fails after the form's (another request took
  the slug in between) is answered with the form and its errors, its writes rolled back.
- **The explorer's cost does not depend on its rows** (issue 11): `portal.page_explorer`
  (19 queries for community staff, 14 for a superuser, at every scale:
  tests/volunteering/admin/test_list_queries.py).
- **A copy to a parent that does not exist** is the form's error, not Wagtail's 500
  (`PageCopyView`)."""

import datetime
from functools import cache

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.forms import NON_FIELD_ERRORS
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.admin.views.pages import workflow as page_workflow
from wagtail.admin.views.pages.copy import CopyView
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page

from portal.draft_privacy import OnlyPagesOneMaySee
from portal.input_guard import LARGEST_ID
from portal.page_explorer import ExplorerFilterSet, PageExplorerView
from portal.slugs import needs_readable_slug, readable_slug, unique_sibling_slug

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
    filterset_class = ExplorerFilterSet  # Wagtail's, its page types from Django's cache


page_viewset = PortalPageViewSet()
