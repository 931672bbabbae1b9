"""The viewsets of the 志愿服务 admin menu: one per model, all scoped through the one policy.

`ScopedModelViewSet` wires Wagtail's generic views to `volunteering.admin.policy`, offers the
workflow actions `<WORKFLOW>.available(obj, user)` returns (as row buttons and header buttons),
and performs them through the services."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.admin.utils import quote
from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.coreutils import multigetattr

from volunteering.admin.forms import ReasonForm
from volunteering.admin.policy import (
    scoped_queryset,
)
from volunteering.admin.views import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedEditView,
    ScopedHistoryView,
    ScopedIndexView,
    ScopedInspectView,
    ScopedUsageView,
    WorkflowActionView,
)

ALL_ACTIONS = ("add", "change", "delete", "view")


# A service call for one action: (object, user, cleaned form data) → the changed object.
Perform = Callable[[Any, Any, dict], Any]


@dataclass(frozen=True)
class OfferedAction:
    """A workflow transition (or attendance entry) a user may perform on one object now."""

    name: str
    label: str
    style: str
    reason_required: bool
    reason_label: Any
    form_class: type | None  # a form of its own (attendance and hours), else the reason form
    call: Perform

    @property
    def priority(self) -> int:
        return 1 if self.style == "primary" else 2

    def form(self, data=None):
        if self.form_class is not None:
            return self.form_class(data)
        return ReasonForm(data, required=self.reason_required, label=self.reason_label)

    def perform(self, *, request, obj, data: dict):
        return self.call(obj, request.user, data)


def _reason(data: dict) -> str:
    return (data.get("reason") or "").strip()


# Each model's registered viewset, for links to its lists (the dashboard's queues).
VIEWSETS: dict[type, "ScopedModelViewSet"] = {}


class ScopedModelViewSet(ModelViewSet):
    """A ModelViewSet whose every view, export and action is scoped by the policy."""

    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    inspect_view_class = ScopedInspectView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    action_view_class = WorkflowActionView
    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None
    search_fields = None
    list_per_page = 30
    # What a row's title opens: "edit" (its form, else its inspect page) or "inspect" (where
    # its workflow actions are, e.g. a resident's request is triaged there)
    rows_open = "edit"
    list_select_related: tuple[str, ...] = ()
    # The list's order before the user sorts by a column, when the model's own would sort the
    # whole table at city scale (an order an index gives reads just the page's rows)
    list_ordering: tuple[str, ...] = ()
    # What only an export shows (a member's skills, their reports): prefetched for exports,
    # never for the list page, which does not show it
    export_prefetch_related: tuple[str, ...] = ()
    form_class = None
    workflow = None
    # transition name → service call; transitions without one are not offered
    services: dict[str, Perform] = {}
    reason_labels: dict[str, Any] = {}
    action_forms: dict[str, type] = {}  # transition → the form it asks for instead of a reason
    # export field → function of the row (for values that are not attributes)
    export_values: dict[str, Callable] = {}

    @cached_property
    def name(self):
        return f"volunteering_{self.model_name}"

    @cached_property
    def url_prefix(self):
        return f"volunteering/{self.model_name}"

    @cached_property
    def export_filename(self):
        return self.model_name

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(viewset=self, **kwargs)

    def get_form_class(self, for_update=False):
        return self.form_class

    def get_permissions_to_register(self):
        """Rights come from scopes, not Django model permissions: offer none in the groups UI."""
        return Permission.objects.none()

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("action/<int:pk>/<slug:action>/", self.action_view, name="action"),
        ]

    @property
    def action_view(self):
        return self.construct_view(self.action_view_class, model=self.model)

    # --- Querysets (all through the policy) ---------------------------------------------

    def object_queryset(self, request, actions):
        queryset = scoped_queryset(self.model, request.user, actions)
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return queryset

    def index_queryset(self, request):
        queryset = self.object_queryset(request, ALL_ACTIONS)
        if self.list_ordering:
            queryset = queryset.order_by(*self.list_ordering)
        return self.annotate(request, queryset)

    def export_queryset(self, queryset):
        if self.export_prefetch_related and hasattr(queryset, "prefetch_related"):
            return queryset.prefetch_related(*self.export_prefetch_related)
        return queryset

    def annotate(self, request, queryset):
        return queryset

    def prepare_rows(self, request, rows: list) -> None:
        """Fill caches the rows' columns and actions need (one query, not one per row)."""

    # --- URLs and buttons -----------------------------------------------------------------

    @property
    def index_url(self) -> str:
        return reverse(self.get_url_name("index"))

    def object_url(self, request, obj) -> str:
        return reverse(self.get_url_name("inspect"), args=(quote(obj.pk),))

    def action_url(self, obj, name: str, *, next_url: str = "") -> str:
        url = reverse(self.get_url_name("action"), args=(obj.pk, name))
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url

    def on_register(self):
        super().on_register()
        VIEWSETS[self.model] = self

    def index_url_with(self, **params) -> str:
        return f"{self.index_url}?{urlencode(params)}"

    def index_header_buttons(self, request) -> list:
        return []

    def row_links(self, request, obj) -> list[tuple[Any, str]]:
        """Extra (label, url) links of a row, e.g. to a team's memberships."""
        return []

    def object_action_buttons(self, request, obj, *, header: bool = False) -> list:
        button_class = HeaderButton if header else Button
        next_url = self.object_url(request, obj)
        return [
            button_class(
                action.label,
                url=self.action_url(obj, action.name, next_url=next_url),
                icon_name="tasks",
                priority=action.priority,
            )
            for action in self.offered_actions(request.user, obj)
        ]

    # --- Workflow actions -------------------------------------------------------------------

    def offered_actions(self, user, obj) -> list[OfferedAction]:
        if self.workflow is None:
            return []
        offered = [
            self._offered(t.name, t.label, t.style, t.reason_required)
            for t in self.workflow.available(obj, user)
            if not t.system and t.name in self.services
        ]
        return offered + self.extra_actions(user, obj)

    def extra_actions(self, user, obj) -> list[OfferedAction]:
        return []

    def _offered(self, name, label, style, reason_required) -> OfferedAction:
        return OfferedAction(
            name=name,
            label=label,
            style=style,
            reason_required=reason_required,
            reason_label=self.reason_labels.get(name),
            form_class=self.action_forms.get(name),
            call=self.services[name],
        )

    def offered_action(self, user, obj, name: str) -> OfferedAction | None:
        return next((a for a in self.offered_actions(user, obj) if a.name == name), None)

    def state_label(self, obj) -> str:
        return self.workflow.state_label(obj) if self.workflow else ""

    def inspect_extra(self, request, obj) -> dict:
        """More for the inspect page's template; the object is already in the user's scope."""
        return {}

    # --- Inspect, create, export hooks --------------------------------------------------------

    def inspect_fields(self, request, obj) -> list[str]:
        return list(self.inspect_view_fields)

    def inspect_value(self, request, obj, field_name):
        return None

    def create_instance(self, request, form):
        """Create through a service instead of `form.save()`; None to let Wagtail save."""
        return None

    def get_export_filename(self) -> str:
        return self.export_filename

    def export_row(self, item) -> dict:
        return {
            field: (
                self.export_values[field](item)
                if field in self.export_values
                else multigetattr(item, field)
            )
            for field in self.list_export
        }


def _generic_perform(workflow, name):
    """For transitions without a service of their own: lock, perform, save."""
    from django.db import transaction

    def perform(obj, by, data):
        with transaction.atomic():
            locked = type(obj).objects.select_for_update().get(pk=obj.pk)
            return workflow.perform(locked, name, by=by, reason=_reason(data))

    return perform
