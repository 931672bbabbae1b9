"""One small, declarative state machine for every approval in the portal.

An app declares its workflows once, in `<app>/workflows.py` (imported when the project starts,
like Django's `admin.py`), and registers them for their models:

    REPORT_WORKFLOW = StateMachine(
        field="state",
        scope=lambda report: report.community_id,
        transitions=[
            Transition("submit", source=[NEW], target="pending", label=_("提交报到"),
                       allowed=is_own),
            Transition("confirm", source=["pending"], target="confirmed", label=_("确认"),
                       allowed=is_staff_of_community),
            Transition("return", source=["pending"], target="returned", label=_("退回"),
                       allowed=is_staff_of_community, reason_required=True),
        ],
    )
    register({Report: REPORT_WORKFLOW})

Every entry point (pages, admin, API, commands) creates an object with
`REPORT_WORKFLOW.start(report, "submit", by=user)` (a transition from `NEW`, "no state yet")
and changes its state only with `REPORT_WORKFLOW.perform(report, "confirm", by=user, reason=…)`.
Both check, in order, that the transition exists, that the object is in a source state (409),
that the user may perform it (403), that a reason is given where one is required (422) and the
transition's guard (409); then set the state, save with the user, the transition, its states
and the reason in fields of their own on the django-simple-history row
(`workflows.history.TransitionRecord`), and send `transitioned`, on which
`workflows.audit` writes the Wagtail audit-log entry. `available(obj, user)` lists what a user
may do now, so the UI shows only that.

The discipline is enforced: a registered model's state field (declared with `state_field()`)
may not be set by any other save; such a save raises `StateWriteOutsideWorkflow`. Tests and
fixtures that need an object in a given state without walking the workflow say so explicitly
with `with fixture_states(): …`.

It knows nothing of volunteering: roles come in as `allowed` callables, the community (or any
other unit the audit log is filtered by) as the machine's `scope` callable."""

from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models.signals import post_init, post_save, pre_save
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.history import note_history

UNKNOWN_TRANSITION = _("没有这个操作。")
NOT_FROM_THIS_STATE = _("当前状态（%(state)s）下不能执行“%(action)s”。")
NOT_ALLOWED = _("您没有权限执行“%(action)s”。")
REASON_REQUIRED = _("“%(action)s”需要填写理由。")
NEW_STATE_LABEL = _("新建")

# The source of the transitions that create an object: it has no state yet.
NEW = "new"

# Sent after every transition (including the creating ones) has been saved: sender is the model
# class; arguments instance, transition, source (NEW for a creation), by, reason, machine.
transitioned = Signal()


class TransitionConflict(Exception):
    """The object is not in a state from which the transition may run (HTTP 409)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class StateWriteOutsideWorkflow(RuntimeError):
    """A state field was written by a save that was not a transition: a bug in the caller."""


def anyone(user, obj) -> bool:
    return True


@dataclass(frozen=True)
class Transition:
    name: str
    source: Iterable[str]
    target: str
    label: str
    allowed: Callable = anyone
    guard: Callable | None = None  # (obj) -> error message or None
    reason_required: bool = False
    # Extra work done inside the same save, e.g. stamping a date: (obj, by, reason) -> None
    effect: Callable | None = None
    style: str = "primary"
    # Moves the system makes itself (e.g. promoting from a waitlist): never offered in the UI.
    system: bool = False

    def starts_from(self, state: str) -> bool:
        return state in tuple(self.source)

    @property
    def creates(self) -> bool:
        return self.starts_from(NEW)


@dataclass
class StateMachine:
    field: str
    transitions: list[Transition]
    # obj -> the id of the unit (a community page) the object belongs to, or None: recorded in
    # the audit log so that its report can be filtered by it.
    scope: Callable | None = None
    model: type[models.Model] | None = field(default=None, init=False, repr=False)
    by_name: dict[str, Transition] = field(init=False, repr=False)

    def __post_init__(self):
        self.by_name = {t.name: t for t in self.transitions}

    def state_of(self, obj) -> str:
        """The object's state; NEW for one not saved yet."""
        return NEW if obj._state.adding else getattr(obj, self.field)

    def label_of(self, state: str, model=None) -> str:
        """The readable name of `state` (NEW included), from the state field's choices."""
        if state == NEW:
            return NEW_STATE_LABEL
        model = model or self.model
        choices = dict(model._meta.get_field(self.field).flatchoices) if model else {}
        return choices.get(state, state)

    def state_label(self, obj) -> str:
        return self.label_of(self.state_of(obj), type(obj))

    def scope_of(self, obj) -> int | None:
        return self.scope(obj) if self.scope else None

    def initial_transitions(self) -> list[Transition]:
        return [t for t in self.transitions if t.creates]

    def available(self, obj, user) -> list[Transition]:
        """The transitions `user` may perform on `obj` now (guards included)."""
        state = self.state_of(obj)
        return [
            t
            for t in self.transitions
            if t.starts_from(state) and t.allowed(user, obj) and not (t.guard and t.guard(obj))
        ]

    def can(self, obj, name: str, user) -> bool:
        return any(t.name == name for t in self.available(obj, user))

    def check(self, obj, name: str, *, by, reason: str = "") -> Transition:
        """Raise the error a user should see if `by` may not perform `name` on `obj` now."""
        transition = self.by_name.get(name)
        if transition is None:
            raise TransitionConflict(UNKNOWN_TRANSITION)

        # The messages' words are looked up only for a message shown: a check that passes (one
        # per sign-up, and per button a page offers) translates nothing.
        def params():
            return {"state": self.state_label(obj), "action": transition.label}

        if not transition.starts_from(self.state_of(obj)):
            raise TransitionConflict(NOT_FROM_THIS_STATE % params())
        if not transition.allowed(by, obj):
            raise PermissionDenied(NOT_ALLOWED % params())
        if transition.reason_required and not str(reason or "").strip():
            raise ValidationError({"reason": REASON_REQUIRED % params()})
        if transition.guard:
            problem = transition.guard(obj)
            if problem:
                raise TransitionConflict(problem)
        return transition

    def seeded(self, via: str, **values):
        """An unsaved object of the machine's model in the state transition `via` leads to, for
        bulk loaders (`manage.py load_demo --scale`) that write thousands of rows with
        `bulk_create` (no signals, no per-row save): the state is always one the machine
        reaches, never an arbitrary string. `seeded_history(via)` gives the history fields of
        its `bulk_create_with_history` row."""
        transition = self.by_name[via]
        obj = self.model(**values)
        setattr(obj, self.field, transition.target)
        return obj

    def seeded_history(self, via: str) -> dict[str, str]:
        """The history fields (`TransitionRecord`) of an object `seeded` by `via`: what
        `bulk_create_with_history(custom_historical_attrs=…)` writes on its row."""
        transition = self.by_name[via]
        return {
            "history_transition": transition.name,
            "history_source_state": next(iter(transition.source)),
            "history_target_state": transition.target,
        }

    def start(self, obj, name: str, *, by, reason: str = ""):
        """Create `obj` (not saved yet) through the creating transition `name`: the same checks,
        history record and signal as `perform`. Model validation runs without the constraints,
        which the database enforces: callers map its IntegrityError to their own message."""
        return self._run(obj, name, by=by, reason=reason, validate_constraints=False)

    def perform(self, obj, name: str, *, by, reason: str = ""):
        """Run transition `name` on `obj` for user `by`. Callers hold the transaction and any
        row lock; this sets the state, records who and why, and saves."""
        return self._run(obj, name, by=by, reason=reason, validate_constraints=True)

    def prepare_start(self, obj, name: str, *, by, reason: str = "", using: str) -> Transition:
        """`start` up to its save, for a writer that saves the object, its history row and its
        audit entry itself, in one statement (`volunteering.signups.one_statement`): the same
        checks, state, effects, record of who and why, validation and `pre_save`. The writer
        takes the history row from `workflows.history.history_row` and the audit entry from
        `workflows.audit.transition_entry`, and then calls `saved_by_statement`."""
        transition, _source = self._prepare(
            obj, name, by=by, reason=reason, validate_constraints=False
        )
        obj._workflow_transition = transition
        try:
            pre_save.send(
                sender=type(obj), instance=obj, raw=False, using=using, update_fields=None
            )
        finally:
            del obj._workflow_transition
        return transition

    def saved_by_statement(self, obj, transition: Transition, *, by, reason: str = "", using):
        """What `start`'s save does after its `INSERT`, for an object `prepare_start` prepared
        and a writer then inserted with its history row and audit entry: `post_save` (for its
        listeners, the page cache; simple-history's row is written, so it writes none, as for
        its own bulk writes) and `transitioned` (the audit entry is written, so
        `workflows.audit` writes none; the other listeners run)."""
        model = type(obj)
        obj._state.adding, obj._state.db = False, using
        obj.skip_history_when_saving = True
        try:
            post_save.send(
                sender=model, instance=obj, created=True, update_fields=None, raw=False, using=using
            )
        finally:
            del obj.skip_history_when_saving
        obj._transition_logged = True
        try:
            self._announce(obj, transition, NEW, by=by, reason=reason)
        finally:
            obj.__dict__.pop("_transition_logged", None)

    def _prepare(self, obj, name: str, *, by, reason: str, validate_constraints: bool):
        transition = self.check(obj, name, by=by, reason=reason)
        source = self.state_of(obj)
        setattr(obj, self.field, transition.target)
        if hasattr(obj, "state_changed_at"):
            obj.state_changed_at = timezone.now()
        if transition.effect:
            transition.effect(obj, by, reason)
        _record(
            obj,
            by=by,
            transition=transition.name,
            source=source,
            target=transition.target,
            reason=reason,
        )
        # Loaded foreign keys are not looked up again; unique checks and constraints still run.
        obj.full_clean(
            exclude=_loaded_relations(obj), validate_unique=False, validate_constraints=False
        )
        obj.validate_unique()
        if validate_constraints:
            obj.validate_constraints()
        return transition, source

    def _run(self, obj, name: str, *, by, reason: str, validate_constraints: bool):
        transition, source = self._prepare(
            obj, name, by=by, reason=reason, validate_constraints=validate_constraints
        )
        obj._workflow_transition = transition
        try:
            obj.save()
        finally:
            del obj._workflow_transition
        self._announce(obj, transition, source, by=by, reason=reason)
        return obj

    def _announce(self, obj, transition: Transition, source: str, *, by, reason) -> None:
        transitioned.send(
            sender=type(obj),
            instance=obj,
            transition=transition,
            source=source,
            by=by,
            reason=reason,
            machine=self,
        )


def _loaded_relations(obj) -> list[str]:
    """The foreign keys of `obj` whose object is loaded from the database: they exist (and the
    database's constraint checks them again), so model validation need not query each one."""
    loaded = []
    for relation in obj._meta.concrete_fields:
        if not (relation.many_to_one and relation.is_cached(obj)):
            continue
        # A key limited to some choices is still checked: the loaded object may not be one.
        if relation.remote_field.limit_choices_to:
            continue
        target = relation.get_cached_value(obj)
        if target is not None and target.pk is not None and not target._state.adding:
            loaded.append(relation.name)
    return loaded


def record_actor(obj, *, by, reason: str = "") -> None:
    """Tell django-simple-history who makes the next save of `obj`, and why: for a save that is
    not a transition, the history row's reason (a translatable constant is stored as read now;
    most such saves need none, their changed fields say what happened)."""
    _record(obj, by=by, reason=reason)


def _record(obj, *, by, **fields) -> None:
    obj._history_user = by if getattr(by, "is_authenticated", False) else None
    note_history(obj, **fields)


def state_field(choices: type[models.TextChoices], default: str, verbose_name=None):
    """The state column: indexed, with choices; written only through a StateMachine (the
    `workflow_state` mark is what the discipline test and the save guard look for)."""
    column = models.CharField(
        verbose_name or _("状态"),
        max_length=20,
        choices=choices.choices,
        default=default,
        db_index=True,
    )
    column.workflow_state = True
    return column


def is_state_field(model_field) -> bool:
    return getattr(model_field, "workflow_state", False)


# --- Registration and the save guard -------------------------------------------------------

# model class -> its StateMachine, filled by register() from the apps' workflows modules.
registry: dict[type[models.Model], StateMachine] = {}

_fixture_states: ContextVar[bool] = ContextVar("fixture_states", default=False)
_UNLOADED = object()


@contextmanager
def fixture_states():
    """The explicit escape hatch for tests and fixtures: inside this block, objects may be saved
    in any state without a transition (and without its history). Never used by the portal's own
    code; tests/workflows/test_state_discipline.py checks that."""
    token = _fixture_states.set(True)
    try:
        yield
    finally:
        _fixture_states.reset(token)


def register(workflows: dict[type[models.Model], StateMachine]) -> dict:
    """Bind each machine to its model and guard the model's state field against other writes."""
    for model, machine in workflows.items():
        model_field = model._meta.get_field(machine.field)
        if not is_state_field(model_field):
            raise TypeError(f"{model.__name__}.{machine.field} is not declared with state_field()")
        machine.model = model
        registry[model] = machine
        uid = f"workflows.guard.{model._meta.label}"
        post_init.connect(_remember_state, sender=model, dispatch_uid=uid)
        post_save.connect(_remember_state_after_save, sender=model, dispatch_uid=uid)
        pre_save.connect(_refuse_state_write, sender=model, dispatch_uid=uid)
    return workflows


def machine_for(model) -> StateMachine | None:
    return registry.get(model)


def _remember_state(sender, instance, **kwargs):
    # Deferred fields are not in __dict__ (reading them here would cost a query).
    instance._workflow_loaded_state = instance.__dict__.get(registry[sender].field, _UNLOADED)


def _remember_state_after_save(sender, instance, **kwargs):
    _remember_state(sender, instance)


def _refuse_state_write(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or _fixture_states.get() or getattr(instance, "_workflow_transition", None):
        return
    name = registry[sender].field
    if update_fields is not None and name not in update_fields:
        return
    if instance._state.adding:
        raise StateWriteOutsideWorkflow(
            f"{sender.__name__} created outside its workflow: use StateMachine.start()"
        )
    if name not in instance.__dict__:
        return
    value = instance.__dict__[name]
    if value == getattr(instance, "_workflow_loaded_state", _UNLOADED):
        return
    # The snapshot may be stale (refresh_from_db, a deferred load): ask the database.
    stored = sender._base_manager.filter(pk=instance.pk).values_list(name, flat=True).first()
    if value != stored:
        raise StateWriteOutsideWorkflow(
            f"{sender.__name__}.{name} changed from {stored!r} to {value!r} outside its "
            "workflow: use StateMachine.perform()"
        )
