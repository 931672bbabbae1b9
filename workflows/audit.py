"""The audit trail of transitions in Wagtail's log, and the site history report filtered by scope.

Every transition (`workflows.statemachine.transitioned`) writes one Wagtail log entry
(`ModelLogEntry` for plain models) with the action `workflows.transition` and the data

    {"transition": "confirm", "transition_label": "确认报到",
     "from": "pending", "from_label": "待确认", "to": "confirmed", "to_label": "已确认",
     "reason": "材料齐全", "scope": 42}

where `scope` is what the machine's `scope` callable says (volunteering: the community page's
id). The site history report (/admin/reports/site-history/) shows it as
"确认报到：待确认 → 已确认（材料齐全）".

`ScopedSiteHistoryView` is Wagtail's site history report with a filter by scope (a page: log
entries of plain models by `data.scope`, page log entries by the page's place in the tree) and a
narrower rule for who sees what. It is routed by the project (portal/urls.py) ahead of Wagtail's
admin URLs at the same paths, so Wagtail's URL names keep working."""

from collections import defaultdict
from collections.abc import Callable
from functools import reduce
from operator import or_

import django_filters
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import IntegerField, Q, Value
from django.dispatch import receiver
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.admin_url_finder import finder_classes as admin_url_finders
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet
from wagtail.log_actions import LogFormatter, get_active_log_context
from wagtail.log_actions import registry as log_registry
from wagtail.models import GroupPagePermission, ModelLogEntry, Page, PageLogEntry
from wagtail.permissions import policy_registry

from portal.prepared import save_new
from workflows.history import SystemReason, reason_text
from workflows.statemachine import NEW, machine_for, transitioned

TRANSITION_ACTION = "workflows.transition"


# --- Writing the log ---------------------------------------------------------------------------


@receiver(transitioned, dispatch_uid="workflows.audit.log_transition")
def log_transition(sender, instance, transition, source, by, reason, machine, **kwargs):
    """One Wagtail log entry per transition. The user is the one who acted: a system move
    (by=None) is logged without a user, even inside a staff member's request. None for an
    object whose entry its writer inserted itself, in the statement that inserted the object
    (`StateMachine.saved_by_statement`)."""
    if instance.__dict__.get("_transition_logged"):
        return
    entry = transition_entry(instance, transition, source, by, reason, machine)
    if entry is None:
        user = by if getattr(by, "is_authenticated", False) else None
        data = transition_data(machine, instance, transition, source, reason)
        log_model = log_registry.get_log_model_for_instance(instance)
        uuid = get_active_log_context().uuid
        log_model.objects.log_action(instance, TRANSITION_ACTION, user=user, uuid=uuid, data=data)
        return
    save_new(entry)  # its INSERT compiled once (one entry per transition)


def transition_entry(instance, transition, source, by, reason, machine) -> ModelLogEntry | None:
    """The audit entry of a transition of a plain model (`ModelLogEntry`), validated, not
    saved; None for a model whose log entries are of another kind (pages). What `log_action`
    writes, validated without looking up the content type (from Django's cache) and the user
    (the one acting, loaded): `BaseLogEntry.save` would query each again. Its `object_id` is
    the instance's `pk`, set when it has one (a writer inserting both gives it in SQL)."""
    if log_registry.get_log_model_for_instance(instance) is not ModelLogEntry:
        return None
    entry = ModelLogEntry(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        label=ModelLogEntry.objects.get_instance_title(instance),
        action=TRANSITION_ACTION,
        timestamp=timezone.now(),
        data=transition_data(machine, instance, transition, source, reason),
        user=by if getattr(by, "is_authenticated", False) else None,
        uuid=get_active_log_context().uuid,
        object_id=str(instance.pk) if instance.pk is not None else "",
    )
    unknown = [] if instance.pk is not None else ["object_id"]
    entry.full_clean(exclude=["content_type", "user", *unknown])
    return entry


def transition_data(machine, instance, transition, source: str, reason: str) -> dict:
    # Labels are kept in the site's language too, for entries whose workflow changes later.
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "transition": transition.name,
            "transition_label": str(transition.label),
            "from": source,
            "from_label": str(machine.label_of(source, type(instance))),
            "to": transition.target,
            "to_label": str(machine.label_of(transition.target, type(instance))),
            "reason": "" if isinstance(reason, SystemReason) else str(reason or "").strip(),
            "reason_code": reason.code if isinstance(reason, SystemReason) else "",
            "scope": machine.scope_of(instance),
        }


class TransitionFormatter(LogFormatter):
    label = _("审批流转")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        labels = _live_labels(log_entry, data) or (
            data.get("transition_label", ""),
            data.get("from_label", ""),
            data.get("to_label", ""),
        )
        message = _("%(action)s：%(source)s → %(target)s") % dict(
            zip(("action", "source", "target"), labels, strict=True)
        )
        reason = _logged_reason(data)
        if reason:
            message += _("（%(reason)s）") % {"reason": reason}
        return message

    def format_comment(self, log_entry):
        return _logged_reason(log_entry.data or {})


def _logged_reason(data) -> str:
    return reason_text(reason=data.get("reason", ""), code=data.get("reason_code", ""))


def _live_labels(log_entry, data) -> tuple | None:
    """The labels in the reader's language, from the workflow as declared now."""
    model = log_entry.content_type.model_class() if log_entry.content_type_id else None
    machine = machine_for(model) if model else None
    transition = machine.by_name.get(data.get("transition")) if machine else None
    if transition is None:
        return None
    return (
        transition.label,
        machine.label_of(data.get("from", NEW)),
        machine.label_of(data.get("to", "")),
    )


@hooks.register("register_log_actions")
def register_transition_action(actions):
    actions.register_action(TRANSITION_ACTION)(TransitionFormatter)


# --- The site history report, filtered by scope -------------------------------------------------


class ScopedSiteHistoryFilterSet(SiteHistoryReportFilterSet):
    scope = django_filters.ModelChoiceFilter(method="filter_scope", queryset=None)

    def __init__(self, *args, scopes: Callable, scope_label, **kwargs):
        super().__init__(*args, **kwargs)
        # Set before the form is built: the choices are the scopes this user manages.
        self.filters["scope"].queryset = scopes(self.request.user)
        self.filters["scope"].label = scope_label

    def filter_scope(self, queryset, name, value):
        if value is None:
            return queryset
        if issubclass(queryset.model, PageLogEntry):
            return queryset.filter(page__path__startswith=value.path)
        return queryset.filter(data__scope=value.pk)


class ScopedSiteHistoryView(LogEntriesView):
    """Wagtail's site history report with a filter by scope. Those who see everything (the
    city) keep Wagtail's rule and see every scoped entry; everyone else sees entries of plain
    models only in the scopes they manage (Wagtail's rule for entries without a scope), and page
    entries only in the branches of the tree they hold permissions on."""

    filterset_class = ScopedSiteHistoryFilterSet
    scopes: Callable = None  # user -> QuerySet of the scope pages the user manages
    sees_everything: Callable = None  # user -> bool
    scope_label = _("范围")

    def get_filterset_kwargs(self):
        return {
            **super().get_filterset_kwargs(),
            "scopes": self.scopes,
            "scope_label": self.scope_label,
        }

    def get_filtered_queryset(self):
        # Wagtail's own method with `viewable()` in place of `viewable_by_user()`.
        self.log_models = list(log_registry.get_log_entry_models())
        queryset = None
        for index, log_model in enumerate(self.log_models):
            rows = (
                self.viewable(log_model)
                .values("pk", "timestamp")
                .annotate(log_model_index=Value(index, output_field=IntegerField()))
            )
            rows = self.filter_queryset(rows).order_by()
            queryset = rows if queryset is None else queryset.union(rows, all=True)
        return queryset.order_by("-timestamp")

    def decorate_paginated_queryset(self, queryset):
        """Wagtail's, with the edit links decided in one permission query per model instead of
        one per row (the query count of the report must not grow with its rows)."""
        rows = list(queryset)
        pks_by_index = defaultdict(list)
        for row in rows:
            pks_by_index[row["log_model_index"]].append(row["pk"])
        found = {}
        for index, pks in pks_by_index.items():
            pairs = list(
                self.log_models[index]
                .objects.prefetch_related("user__wagtail_userprofile", "content_type")
                .filter(pk__in=pks)
                .with_instances()
            )
            urls = _edit_urls(self.request.user, [obj for _entry, obj in pairs if obj is not None])
            for entry, obj in pairs:
                entry.edit_url = urls.get((type(obj), obj.pk)) if obj is not None else None
                found[(index, entry.pk)] = entry
        return [found[(row["log_model_index"], row["pk"])] for row in rows]

    def viewable(self, log_model):
        user = self.request.user
        wagtails = log_model.objects.viewable_by_user(user)
        everything = self.sees_everything(user)
        if issubclass(log_model, PageLogEntry):
            return wagtails if everything else wagtails.filter(_own_branches(user))
        unscoped = ~Q(data__has_key="scope") | Q(data__scope=None)
        if everything:
            return wagtails.filter(unscoped) | log_model.objects.exclude(unscoped)
        scope_ids = list(self.scopes(user).values_list("pk", flat=True))
        return wagtails.filter(unscoped) | log_model.objects.filter(data__scope__in=scope_ids)


def _edit_urls(user, instances) -> dict:
    """{(model, pk): edit URL} for the instances `user` may change. Pages keep Wagtail's own
    check (its page permissions are cached per request); other models are decided per model
    with their permission policy's `instances_user_has_permission_for`."""
    finder = AdminURLFinder(user)
    by_model = defaultdict(list)
    for obj in instances:
        by_model[type(obj)].append(obj)
    urls = {}
    for model, objs in by_model.items():
        if issubclass(model, Page):
            urls.update({(model, obj.pk): finder.get_edit_url(obj) for obj in objs})
            continue
        finder_class = admin_url_finders.get_by_type(model)
        if finder_class is None:
            continue
        policy = policy_registry.get_by_type(model)
        allowed = (
            set(
                policy.instances_user_has_permission_for(user, "change")
                .filter(pk__in=[obj.pk for obj in objs])
                .values_list("pk", flat=True)
            )
            if policy.user_has_permission(user, "change")
            else set()
        )
        model_finder = finder_class(user)
        urls.update(
            {
                (model, obj.pk): model_finder.construct_edit_url(obj)
                for obj in objs
                if obj.pk in allowed
            }
        )
    return urls


def _own_branches(user) -> Q:
    """Pages at or below a page on which one of the user's groups holds a permission."""
    paths = set(
        GroupPagePermission.objects.filter(group__user=user).values_list("page__path", flat=True)
    )
    return reduce(or_, (Q(page__path__startswith=p) for p in paths), Q(pk__in=[]))


def site_history_urls(**view_attributes) -> list:
    """The report's two URLs, to be put ahead of Wagtail's admin URLs (same paths and admin
    access check as Wagtail's; Wagtail's URL names resolve to them)."""
    page = ScopedSiteHistoryView.as_view(**view_attributes)
    results = ScopedSiteHistoryView.as_view(results_only=True, **view_attributes)
    return [
        path("admin/reports/site-history/", require_admin_access(page)),
        path("admin/reports/site-history/results/", require_admin_access(results)),
    ]
