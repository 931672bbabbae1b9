"""Timelines people can read, built from django-simple-history records.

A timeline answers, for one object (or an object and its parts, e.g. a team and its
memberships): who did what, when, which fields changed (old → new, by verbose name and choice
label) and why. It takes a bounded number of queries whatever the length of the history: per
history model, one query for the newest rows (with the previous row's id found by a subquery),
one for the previous rows outside that window, and one per related model whose values are shown.

Every history row carries, in fields of its own (`TransitionRecord`, the `bases` of each
`HistoricalRecords`), the transition that made it, the states it went from and to, and the user's
reason, or the code of a reason the system gave (`system_reason`: shown in the reader's language,
never stored as text in the actor's); `workflows.statemachine` fills them (`note_history`). A
save that is not a transition leaves the transition empty. Nothing is written as text to be read
back.

Like the rest of `workflows`, this knows nothing of volunteering: who may see which field and how
a user is named come in as arguments."""

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.dispatch import receiver
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.signals import pre_create_historical_record

from portal.prepared import PreparedInsert

HISTORY_LIMIT = 50
EMPTY = "—"
HIDDEN_VALUE = gettext_lazy("（无权查看）")
SYSTEM = gettext_lazy("系统")


class TransitionRecord(PreparedInsert, models.Model):
    """The fields every history row of the project has besides simple-history's own: how the
    object got there. Given to each model as `HistoricalRecords(bases=[TransitionRecord])`.
    (Prefixed like simple-history's fields, so they never meet a field of the tracked model.)
    A row is written by an `INSERT` compiled once (`portal.prepared.PreparedInsert`): one is
    written with every transition."""

    # History rows are records, not content: kept out of Wagtail's reference index, which
    # would otherwise index (or queue a task for) every row written.
    wagtail_reference_index_ignore = True

    history_transition = models.CharField(
        gettext_lazy("状态流转"), max_length=50, blank=True, default=""
    )
    history_source_state = models.CharField(
        gettext_lazy("原状态"), max_length=20, blank=True, default=""
    )
    history_target_state = models.CharField(
        gettext_lazy("新状态"), max_length=20, blank=True, default=""
    )
    history_reason = models.TextField(gettext_lazy("理由"), blank=True, default="")
    # A reason the code gave (not a person's words): its code, shown in the reader's language.
    history_reason_code = models.CharField(
        gettext_lazy("系统理由代码"), max_length=50, blank=True, default=""
    )

    class Meta:
        abstract = True


@dataclass(frozen=True)
class SystemReason:
    """A reason the code gives itself ("imported from a member list"). It is stored as its
    `code` and shown as `label` in the reader's language, never stored as text in the language
    of whoever happened to act. Made with `system_reason()`, which registers it."""

    code: str
    label: str

    def __str__(self) -> str:
        return str(self.label)


SYSTEM_REASONS: dict[str, SystemReason] = {}


def system_reason(code: str, label) -> SystemReason:
    """Declare a system reason (a module-level constant of the app that gives it)."""
    reason = SystemReason(code, label)
    SYSTEM_REASONS[code] = reason
    return reason


def reason_text(*, reason: str = "", code: str = "") -> str:
    """What a reader reads for a stored reason: the label of its code in the active language,
    else the person's own words (an unknown code is shown as it is, never lost)."""
    if code:
        known = SYSTEM_REASONS.get(code)
        return str(known.label) if known else code
    return reason or ""


_NOTE = "_history_note"


def note_history(obj, *, reason="", transition: str = "", source: str = "", target: str = ""):
    """What the next history row of `obj` records besides who made it: the transition with its
    states (empty for a save that is not one) and the reason (a `SystemReason` as its code).
    Used by the next save only."""
    code = reason.code if isinstance(reason, SystemReason) else ""
    setattr(
        obj,
        _NOTE,
        {
            "history_transition": transition,
            "history_source_state": source,
            "history_target_state": target,
            "history_reason": "" if code else str(reason or "").strip(),
            "history_reason_code": code,
        },
    )


@receiver(pre_create_historical_record, dispatch_uid="workflows.history.fill_transition_record")
def _fill_transition_record(sender, instance, history_instance, **kwargs):
    # Taken off the object, so that a later save is not recorded as this transition again.
    note = instance.__dict__.pop(_NOTE, None)
    if note and isinstance(history_instance, TransitionRecord):
        for name, value in note.items():
            setattr(history_instance, name, value)


def history_row(obj, *, history_date=None):
    """The django-simple-history row (unsaved) that saving the new `obj` would write: its
    tracked values, when, who (`_history_user`) and, through `pre_create_historical_record`,
    the transition noted for the save. For a writer that inserts it itself (`StateMachine.
    prepare_start`); its `id` is the object's, unknown until the object is inserted."""
    model = getattr(type(obj), type(obj)._meta.simple_history_manager_attribute).model
    when = history_date or getattr(obj, "_history_date", None) or timezone.now()
    user = getattr(obj, "_history_user", None)
    row = model(
        history_date=when,
        history_type="+",
        history_user=user,
        history_change_reason=getattr(obj, "_change_reason", None),
        **{field.attname: getattr(obj, field.attname) for field in model.tracked_fields},
    )
    pre_create_historical_record.send(
        sender=model,
        instance=obj,
        history_date=when,
        history_user=user,
        history_change_reason=row.history_change_reason,
        history_instance=row,
        using=None,
    )
    return row


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    """One history row as people read it."""

    when: datetime.datetime
    user: object  # the user who made the change, or None (the system, a command)
    actor: str  # how that user is shown to the reader
    kind: str  # "created", "changed" or "deleted"
    transition: str = ""  # the transition's name; "" for a save that was not one
    source: str = ""  # the state it went from ("new" for a creating transition)
    target: str = ""
    reason: str = ""  # the user's words (or a reason the system gave); "" for none
    changes: list[FieldChange] = field(default_factory=list)
    subject: str = ""  # which part of the object, in a timeline of several (e.g. a membership)
    action_label: str = ""  # the transition's label, else 创建 / 修改 / 删除
    source_label: str = ""
    target_label: str = ""
    record: object = None

    @property
    def is_transition(self) -> bool:
        return bool(self.transition)


@dataclass
class Timeline:
    entries: list[HistoryEntry]
    truncated: bool = False  # older entries exist that are not shown


@dataclass(frozen=True)
class HistorySource:
    """Rows of one history model for a timeline, e.g. `obj.history.all()`, or
    `TeamMembership.history.filter(team_id=…)` labelled by `subject_field` ("member")."""

    rows: QuerySet
    subject_field: str = ""
    subject_prefix: str = ""
    # transition name → what people call it ("confirm" → "确认报到"), e.g. from a StateMachine
    action_labels: Mapping[str, str] = field(default_factory=dict)


KINDS = {"+": "created", "~": "changed", "-": "deleted"}
KIND_LABELS = {
    "created": gettext_lazy("创建"),
    "changed": gettext_lazy("修改"),
    "deleted": gettext_lazy("删除"),
}


def default_actor(user) -> str:
    if user is None:
        return str(SYSTEM)
    return user.get_full_name() or user.get_username()


def build_timeline(
    sources: Sequence[HistorySource],
    *,
    limit: int = HISTORY_LIMIT,
    hidden: Iterable[str] = (),
    omitted: Iterable[str] = (),
    actor: Callable = default_actor,
    user_related: Sequence[str] = (),
) -> Timeline:
    """The newest `limit` entries of `sources`, newest first. Fields in `hidden` show that they
    changed but not their values (private data the reader may not see); fields in `omitted`
    are left out (bookkeeping such as a state-change stamp the entry's time already shows)."""
    rows: list = []
    previous: dict = {}
    for source in sources:
        window, earlier = _window(source.rows, limit=limit, user_related=user_related)
        rows.extend((source, row) for row in window)
        previous.update(earlier)
    rows.sort(key=lambda pair: (pair[1].history_date, pair[1].history_id), reverse=True)
    truncated = len(rows) > limit
    rows = rows[:limit]
    values = _Values(
        [row for _source, row in rows] + list(previous.values()),
        actor=actor,
        user_related=user_related,
    )
    entries = [
        _entry(
            source,
            row,
            previous.get((type(row), row.previous_id)),
            values=values,
            hidden=set(hidden),
            omitted=set(omitted),
            actor=actor,
        )
        for source, row in rows
    ]
    return Timeline(entries=entries, truncated=truncated)


def history_sources(obj, *, action_labels: Mapping[str, str] | None = None) -> list[HistorySource]:
    """The history of one object with `HistoricalRecords` (none for a model without)."""
    manager = getattr(type(obj)._meta, "simple_history_manager_attribute", "")
    if not manager:
        return []
    return [HistorySource(getattr(obj, manager).all(), action_labels=action_labels or {})]


def transition_labels(machine) -> dict[str, str]:
    """{transition name: label} of a `workflows.statemachine.StateMachine` (or None)."""
    return {t.name: t.label for t in machine.transitions} if machine else {}


def with_previous(rows: QuerySet) -> QuerySet:
    """Each history row with `previous_id`: the history_id of the same object's row before it."""
    model = rows.model
    pk_name = model.instance_type._meta.pk.attname
    earlier = (
        model._default_manager.filter(**{pk_name: OuterRef(pk_name)})
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return rows.annotate(previous_id=Subquery(earlier))


def _window(rows: QuerySet, *, limit: int, user_related: Sequence[str]):
    """The newest `limit + 1` rows (one query) and the rows before them that are not among
    them (one more query): {(model, history_id): row}."""
    related = ["history_user", *(f"history_user__{name}" for name in user_related)]
    window = list(
        with_previous(rows.select_related(*related)).order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    have = {row.history_id for row in window}
    wanted = {row.previous_id for row in window if row.previous_id and row.previous_id not in have}
    model = rows.model
    earlier = {(model, row.history_id): row for row in window}
    if wanted:
        for row in model._default_manager.filter(history_id__in=wanted):
            earlier[(model, row.history_id)] = row
    return window, earlier


def _entry(source, row, before, *, values, hidden, omitted, actor) -> HistoryEntry:
    entry = HistoryEntry(
        when=row.history_date,
        user=row.history_user,
        actor=actor(row.history_user),
        kind=KINDS.get(row.history_type, "changed"),
        transition=getattr(row, "history_transition", ""),
        source=getattr(row, "history_source_state", ""),
        target=getattr(row, "history_target_state", ""),
        reason=reason_text(
            reason=getattr(row, "history_reason", ""),
            code=getattr(row, "history_reason_code", ""),
        ),
        record=row,
    )
    kind_label = str(KIND_LABELS[entry.kind])
    entry.action_label = str(source.action_labels.get(entry.transition, "") or kind_label)
    if source.subject_field:
        subject = values.display(row, source.subject_field)
        entry.subject = f"{source.subject_prefix} · {subject}" if source.subject_prefix else subject
    if entry.is_transition:
        entry.source_label = _choice_label(row, entry.source)
        entry.target_label = _choice_label(row, entry.target)
    entry.changes = _changes(row, before, values=values, hidden=hidden, omitted=omitted)
    return entry


def _changes(row, before, *, values, hidden, omitted) -> list[FieldChange]:
    """Field by field, in the model's field order; on creation, the values it was created with."""
    if row.history_type == "-":
        return []
    if before is not None:
        names = set(row.diff_against(before).changed_fields)
    else:
        names = {f.name for f in row.tracked_fields if f.editable and _has_value(row, f)}
    names.discard(row.instance_type._meta.pk.name)
    changes = []
    for model_field in row.instance_type._meta.concrete_fields:
        name = model_field.name
        if name not in names or name in omitted:
            continue
        label = str(getattr(model_field, "verbose_name", name))
        if name in hidden:
            changes.append(FieldChange(name, label, str(HIDDEN_VALUE), str(HIDDEN_VALUE)))
            continue
        old = values.display(before, name) if before is not None else EMPTY
        changes.append(FieldChange(name, label, old, values.display(row, name)))
    return changes


def _has_value(row, model_field) -> bool:
    value = getattr(row, model_field.attname, None)
    return value not in (None, "", False)


def _choice_label(row, state: str) -> str:
    """The label of `state` among the choices of the field a state machine writes; "" for a
    state that is none of them (the "new" a creating transition starts from)."""
    for model_field in row.instance_type._meta.concrete_fields:
        if model_field.choices and state in dict(model_field.flatchoices):
            return str(dict(model_field.flatchoices)[state])
    return ""


class _Values:
    """Field values as people read them; related objects looked up once per related model."""

    def __init__(self, rows: list, *, actor: Callable = default_actor, user_related=()):
        # A user (who assessed, who was assigned) is named as the reader names the actors.
        self.actor = actor
        self.user_model = get_user_model()
        self.related: dict = {}
        wanted: dict = {}
        for row in rows:
            for model_field in row.instance_type._meta.concrete_fields:
                if model_field.is_relation and model_field.many_to_one:
                    pk = getattr(row, model_field.attname, None)
                    if pk is not None:
                        wanted.setdefault(model_field.related_model, set()).add(pk)
        for model, pks in wanted.items():
            objects = model._default_manager.filter(pk__in=pks)
            if model is self.user_model and user_related:
                objects = objects.select_related(*user_related)
            for obj in objects:
                self.related[(model, obj.pk)] = obj

    def display(self, row, name: str) -> str:
        model_field = row.instance_type._meta.get_field(name)
        if model_field.is_relation and model_field.many_to_one:
            pk = getattr(row, model_field.attname, None)
            if pk is None:
                return EMPTY
            obj = self.related.get((model_field.related_model, pk))
            if obj is None:
                return _("#%(pk)s（已删除）") % {"pk": pk}
            return self.actor(obj) if model_field.related_model is self.user_model else str(obj)
        return readable_value(model_field, getattr(row, model_field.attname, None))


def readable_value(model_field: models.Field, value) -> str:
    """A stored value as people read it: the choice label, 是/否, local time, a dash for none."""
    if value is None or value == "":
        return EMPTY
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return date_format(local, "Y-m-d H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "Y-m-d")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


# --- Retention (used only by the `prune_history` command) -------------------------------------


def historical_models() -> list:
    """The history model of every model with `HistoricalRecords`, in a stable order."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        manager = getattr(model._meta, "simple_history_manager_attribute", None)
        if manager and model._meta.concrete_model is model:
            found.append(getattr(model, manager).model)
    return sorted(found, key=lambda m: m._meta.label)


def prunable_history(historical_model, *, before, keep: QuerySet | None = None) -> QuerySet:
    """History rows recorded before `before` that are not the newest row of their object, and
    not about an object in `keep` (a queryset of the tracked model's pks)."""
    pk_name = historical_model.instance_type._meta.pk.attname
    newer = historical_model._default_manager.filter(**{pk_name: OuterRef(pk_name)}).filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
    )
    rows = historical_model._default_manager.filter(history_date__lt=before).filter(Exists(newer))
    if keep is not None:
        rows = rows.exclude(**{f"{pk_name}__in": keep})
    return rows


def prunable_log_entries(*, before, keep: dict | None = None) -> QuerySet:
    """Wagtail's log entries of non-page objects (`ModelLogEntry`) from before `before`, except
    the newest of each object and those about objects in `keep` ({model: queryset of pks})."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField
    from django.db.models.functions import Cast
    from wagtail.models import ModelLogEntry

    newer = ModelLogEntry.objects.filter(
        content_type_id=OuterRef("content_type_id"), object_id=OuterRef("object_id")
    ).filter(
        Q(timestamp__gt=OuterRef("timestamp"))
        | Q(timestamp=OuterRef("timestamp"), pk__gt=OuterRef("pk"))
    )
    entries = ModelLogEntry.objects.filter(timestamp__lt=before).filter(Exists(newer))
    for model, pks in (keep or {}).items():
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        as_text = pks.annotate(pk_text=Cast("pk", CharField())).values("pk_text")
        entries = entries.exclude(content_type=content_type, object_id__in=as_text)
    return entries
