"""Wagtail's generic admin views, with every queryset taken from the scoped permission policy
(`volunteering.admin.policy`), and the view that performs workflow actions.

Each view gets its viewset (`viewset=`) and asks it for its querysets, so that what a user may
see is decided in one place: an object outside the user's scope is never listed or exported,
and its URLs answer 404."""

import datetime
from urllib.parse import urlencode

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BaseColumn, TitleColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import BaseButton

from volunteering.errors import ServiceError
from volunteering.history import admin_timeline
from workflows.statemachine import TransitionConflict

ACTION_NOT_AVAILABLE = gettext_lazy("现在不能对这条记录执行这个操作（可能已被他人处理）。")
ACTION_DONE = gettext_lazy("已执行“%(action)s”：%(object)s")
DELETE_PROTECTED = gettext_lazy("“%(object)s”还有关联的记录，不能删除。")


class RowActionButton(BaseButton):
    """A workflow action shown inline on a list row (not hidden in the "more" menu)."""

    allow_in_dropdown = False


class ScopedViewMixin:
    viewset = None

    def scoped(self, actions):
        return self.viewset.object_queryset(self.request, actions)


def safe_next(request) -> str:
    """The request's `next` when it is a path on this site (`/…`), else "". Wagtail's check
    lets any relative text through, and Django's `redirect` tries to reverse text without a
    slash as a URL name: a `next` of `-1` or `1e400` was a 500 after a workflow action had been
    done (tests/portal/test_admin_fuzz.py)."""
    url = get_valid_next_url_from_request(request) or ""
    return url if url.startswith("/") and not url.startswith("//") else ""


def _with_next(url: str | None, next_url: str) -> str | None:
    """`url` carrying where to come back to (Wagtail's views honour a safe `next`)."""
    return f"{url}?{urlencode({'next': next_url})}" if url and next_url else url


def _local_time(value):
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def _local_time_text(value):
    return f"{_local_time(value):%Y-%m-%d %H:%M}"


def _yes_no(value: bool) -> str:
    return _("是") if value else _("否")


def readable(value):
    """A field's value as staff read it: local time, 是/否, a dash for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, datetime.datetime):
        return date_format(_local_time(value), "DATETIME_FORMAT")
    return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A list's search reads this many characters of what is typed: a longer one (a 1 MB paste) made
# a LIKE pattern SQLite refuses ("pattern too complex", answered as a 503 for a database that
# was up) and a needlessly slow scan on PostgreSQL (tests/portal/test_admin_fuzz.py).
SEARCH_LIMIT = 100


class ScopedIndexView(ScopedViewMixin, generic.IndexView):
    # Exports show times as people here read them (local time), not in UTC, and yes/no as
    # words in the reader's language (是/否, Yes/No), never Python's True/False.
    custom_value_preprocess = {
        bool: {"xlsx": _yes_no, "csv": _yes_no},
        **generic.IndexView.custom_value_preprocess,
        datetime.datetime: {"xlsx": _local_time, "csv": _local_time_text},
    }

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # A list without export columns (the sign-in logs) has no export: `?export=` shows the
        # list, as it shows no export button (it was a 500 reading the viewset's columns).
        self.is_export = self.is_export and bool(self.list_export)

    def get_base_queryset(self):
        return self.viewset.index_queryset(self.request)

    @cached_property
    def search_query(self):
        if self.search_form and self.search_form.is_valid():
            return self.search_form.cleaned_data[self.search_kwarg][:SEARCH_LIMIT]
        return ""

    def row_url(self, instance) -> str | None:
        """Where a row's title leads: the inspect page for viewsets whose work is done there
        (the triage of a resident's request), else the edit form, else the inspect page."""
        if self.viewset.rows_open == "inspect":
            return self.get_inspect_url(instance) or self.get_edit_url(instance)
        return self.get_edit_url(instance) or self.get_inspect_url(instance)

    @cached_property
    def columns(self):
        """The first column always links to the row and carries its buttons and menu, even
        when it is a custom column (Wagtail links only a first column named by a string)."""
        columns = list(super().columns)
        if not columns:
            return columns
        first = self.list_display[0]
        title_class = self._get_title_column_class(TitleColumn)
        if isinstance(first, BaseColumn):
            if isinstance(first, TitleColumn):
                return columns
            columns[0] = title_class(
                first.name,
                label=first.label,
                accessor=first.accessor,
                classname=first.classname,
                sort_key=first.sort_key,
                width=first.width,
                get_url=self.row_url,
            )
        else:
            columns[0] = self._get_custom_column(first, title_class, get_url=self.row_url)
        return columns

    def preprocess_field_value(self, field, value, export_format):
        """A CSV cell starting like a formula (=, +, -, @) would run when opened in a
        spreadsheet: what a member typed is data, so it gets a leading apostrophe. (Wagtail
        already writes such XLSX cells as text.)"""
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV and isinstance(value, str):
            if value[:1] in FORMULA_STARTS:
                return "'" + value
        return value

    def paginate_queryset(self, queryset, page_size):
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        rows = list(rows)
        self.viewset.prepare_rows(self.request, rows)
        page.object_list = rows
        return paginator, page, rows, is_paginated

    def get_filename(self):
        return self.viewset.get_export_filename()

    def as_spreadsheet(self, queryset, spreadsheet_format):
        rows = list(self.viewset.export_queryset(queryset))
        self.viewset.prepare_rows(self.request, rows)
        return super().as_spreadsheet(rows, spreadsheet_format)

    def to_row_dict(self, item):
        return self.viewset.export_row(item)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for priority, (label, url) in enumerate(self.viewset.row_links(self.request, instance)):
            buttons.append(MenuItem(label, url=url, icon_name="list-ul", priority=40 + priority))
        for action in self.viewset.offered_actions(self.request.user, instance):
            buttons.append(
                RowActionButton(
                    action.label,
                    url=self.viewset.action_url(instance, action.name, next_url=self.list_url),
                    classname=_button_class(action.style, small=True),
                    priority=action.priority,
                )
            )
        return buttons

    @cached_property
    def header_buttons(self):
        return super().header_buttons + self.viewset.index_header_buttons(self.request)

    def get_delete_url(self, instance):
        """Deleting from a row comes back to this list too (Wagtail's delete view honours a
        safe `next`)."""
        return _with_next(super().get_delete_url(instance), self.list_url)

    def get_edit_url(self, instance):
        """So does saving an object opened from a row of a searched, filtered, sorted or paged
        list (`ScopedEditView` keeps the `next`); the plain list is where saving goes anyway."""
        filtered = self.list_url if self.list_url != self.index_url else ""
        return _with_next(super().get_edit_url(instance), filtered)

    @cached_property
    def list_url(self) -> str:
        """The list as the user sees it (search, filters, order, page), where an action started
        from a row comes back to. Built on the index URL, also when the rows are rendered by
        the filter's partial results view."""
        query = self.request.GET.copy()
        for name in ("export", "_"):
            query.pop(name, None)
        return f"{self.index_url}?{query.urlencode()}" if query else self.index_url


def _button_class(style: str, *, small: bool = False) -> str:
    classes = ["button"]
    if small:
        classes.append("button-small")
    if style == "secondary":
        classes.append("button-secondary")
    return " ".join(classes)


class ScopedCreateView(ScopedViewMixin, generic.CreateView):
    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ServiceError as exc:
            form.add_error(None, exc.message)
            self.produced_error_message = exc.message
            return self.form_invalid(form)

    def save_instance(self):
        return self.viewset.create_instance(self.request, self.form) or super().save_instance()


class ScopedEditView(ScopedViewMixin, generic.EditView):
    """Opened from a filtered list (`?next=`), saving comes back to that list: the form posts
    to a URL that keeps the `next`, and so does its delete link."""

    def get_queryset(self):
        return self.scoped(["change"])

    @cached_property
    def next_url(self) -> str:
        return safe_next(self.request)

    def get_edit_url(self):
        return _with_next(super().get_edit_url(), self.next_url)

    def get_delete_url(self):
        return _with_next(super().get_delete_url(), self.next_url)

    def get_success_url(self):
        return self.next_url or super().get_success_url()

    @cached_property
    def header_more_buttons(self):
        return super().header_more_buttons + self.viewset.object_action_buttons(
            self.request, self.object
        )


class ScopedDeleteView(ScopedViewMixin, generic.DeleteView):
    def get_queryset(self):
        return self.scoped(["delete"])

    def get_delete_url(self):
        """The confirmation form posts to this: it keeps the list to come back to."""
        url = super().get_delete_url()
        next_url = safe_next(self.request)
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url

    def delete_action(self):
        try:
            super().delete_action()
        except ProtectedError as exc:
            raise _Protected(self.object) from exc

    def form_valid(self, form):
        if self.usage and self.usage.is_protected:
            messages.error(self.request, DELETE_PROTECTED % {"object": self.object})
            return redirect(self.get_success_url())
        try:
            return super().form_valid(form)
        except _Protected:
            messages.error(self.request, DELETE_PROTECTED % {"object": self.object})
            return redirect(self.get_success_url())


class _Protected(Exception):
    def __init__(self, obj):
        super().__init__(str(obj))


class ScopedInspectView(ScopedViewMixin, generic.InspectView):
    """The record, its workflow actions as buttons, and its timeline: who changed what, when
    and why (`volunteering.history`)."""

    template_name = "volunteering/admin/inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(self.scoped(["view", "change"]), pk=self.pk)

    def get_field_display_value(self, field_name, field):
        value = self.viewset.inspect_value(self.request, self.object, field_name)
        if value is None:
            value = super().get_field_display_value(field_name, field)
        return readable(value)

    @cached_property
    def header_buttons(self):
        return self.viewset.object_action_buttons(self.request, self.object, header=True)

    def get_context_data(self, **kwargs):
        # The fields may depend on the object (a phone only for those who may see it).
        self.fields = self.viewset.inspect_fields(self.request, self.object)
        context = super().get_context_data(**kwargs)
        context["timeline"] = admin_timeline(obj=self.object, user=self.request.user)
        context["log_url"] = reverse(self.viewset.get_url_name("history"), args=(quote(self.pk),))
        context.update(self.viewset.inspect_extra(self.request, self.object))
        return context


class ScopedHistoryView(ScopedViewMixin, history.HistoryView):
    """The admin's log of a record (Wagtail's audit log): readable by whoever may see the
    record, like its inspect page; read-only, as all history is."""

    any_permission_required = ["add", "change", "delete", "view"]

    def get_base_object_queryset(self):
        return self.scoped(["view", "change"])


class ScopedUsageView(ScopedViewMixin, usage.UsageView):
    def get_base_object_queryset(self):
        return self.scoped(["change"])


class WorkflowActionView(ScopedViewMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET: what the action will do, with a reason form where one is needed; POST: do it
    through the service. Only the actions `<WORKFLOW>.available` offers this user are allowed;
    refusals are shown as admin messages, never as errors."""

    template_name = "volunteering/admin/workflow_action.html"
    model = None
    header_icon = "tasks"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(self.scoped(["view", "change"]), pk=kwargs["pk"])
        self.action = self.viewset.offered_action(request.user, self.object, kwargs["action"])
        self.next_url = safe_next(request) or self.viewset.object_url(request, self.object)

    def dispatch(self, request, *args, **kwargs):
        if self.action is None:
            messages.error(request, self._why_not(request.user, kwargs["action"]))
            return redirect(self.next_url)
        return super().dispatch(request, *args, **kwargs)

    def _why_not(self, user, name: str):
        """The workflow's own explanation when it has one (e.g. a guard), else the generic one."""
        workflow = getattr(self.viewset, "workflow", None)
        if workflow is None or name not in workflow.by_name:
            return ACTION_NOT_AVAILABLE
        try:
            workflow.check(self.object, name, by=user, reason="-")
        except (TransitionConflict, PermissionDenied) as problem:
            return getattr(problem, "message", None) or str(problem)
        return ACTION_NOT_AVAILABLE

    def get_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        return self.action.form(data)

    def get_page_title(self):
        return self.action.label

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": self.viewset.index_url, "label": self.viewset.menu_label},
            {"url": self.viewset.object_url(self.request, self.object), "label": str(self.object)},
            {"url": "", "label": self.action.label},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "object": self.object,
                "action": self.action,
                "form": kwargs.get("form") or self.get_form(),
                "action_url": self.request.get_full_path(),
                "next_url": self.next_url,
                "state_label": self.viewset.state_label(self.object),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            self.action.perform(request=request, obj=self.object, data=form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.render_to_response(self.get_context_data(form=form))
        except (ServiceError, TransitionConflict) as exc:
            messages.error(request, exc.message)
            return redirect(self.next_url)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or ACTION_NOT_AVAILABLE)
            return redirect(self.next_url)
        except self.model.DoesNotExist as exc:
            raise Http404 from exc
        messages.success(
            request, ACTION_DONE % {"action": self.action.label, "object": self.object}
        )
        return redirect(self.next_url)
