"""One small, declarative state machine for every approval in the portal.

A model declares its states and transitions once:

    REPORT_WORKFLOW = StateMachine(
        field="state",
        transitions=[
            Transition("confirm", source=["pending"], target="confirmed", label=_("确认"),
                       allowed=is_staff_of_community),
            Transition("return", source=["pending"], target="returned", label=_("退回"),
                       allowed=is_staff_of_community, reason_required=True),
        ],
    )

and every entry point (pages, admin, API, commands) changes state only through
`REPORT_WORKFLOW.perform(obj, "confirm", by=user, reason=...)`, which checks, in order, that the
transition exists, that the object is in a source state (409), that the user may perform it
(403), that a reason is given where one is required (422) and the transition's guard (409); then
sets the state, saves with the user and reason recorded in django-simple-history, and sends
`transitioned`. `available(obj, user)` lists what a user may do now, so the UI shows only that.

It knows nothing of volunteering: roles and scopes come in as `allowed` callables."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

UNKNOWN_TRANSITION = _("没有这个操作。")
NOT_FROM_THIS_STATE = _("当前状态（%(state)s）下不能执行“%(action)s”。")
NOT_ALLOWED = _("您没有权限执行“%(action)s”。")
REASON_REQUIRED = _("“%(action)s”需要填写理由。")

# Sent after every transition has been saved: sender is the model class.
transitioned = Signal()


class TransitionConflict(Exception):
    """The object is not in a state from which the transition may run (HTTP 409)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


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


@dataclass
class StateMachine:
    field: str
    transitions: list[Transition]
    by_name: dict[str, Transition] = field(init=False, repr=False)

    def __post_init__(self):
        self.by_name = {t.name: t for t in self.transitions}

    def state_of(self, obj) -> str:
        return getattr(obj, self.field)

    def state_label(self, obj) -> str:
        return getattr(obj, f"get_{self.field}_display")()

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
        params = {"state": self.state_label(obj), "action": transition.label}
        if not transition.starts_from(self.state_of(obj)):
            raise TransitionConflict(NOT_FROM_THIS_STATE % params)
        if not transition.allowed(by, obj):
            raise PermissionDenied(NOT_ALLOWED % params)
        if transition.reason_required and not (reason or "").strip():
            raise ValidationError({"reason": REASON_REQUIRED % params})
        if transition.guard:
            problem = transition.guard(obj)
            if problem:
                raise TransitionConflict(problem)
        return transition

    def perform(self, obj, name: str, *, by, reason: str = "", save: bool = True):
        """Run transition `name` on `obj` for user `by`. Callers hold the transaction and any
        row lock; this sets the state, records who and why, and saves."""
        transition = self.check(obj, name, by=by, reason=reason)
        source = self.state_of(obj)
        setattr(obj, self.field, transition.target)
        if hasattr(obj, "state_changed_at"):
            obj.state_changed_at = timezone.now()
        if transition.effect:
            transition.effect(obj, by, reason)
        record_actor(obj, by=by, reason=_history_reason(transition, source, reason))
        if save:
            obj.full_clean()
            obj.save()
            transitioned.send(
                sender=type(obj),
                instance=obj,
                transition=transition,
                source=source,
                by=by,
                reason=reason,
            )
        return obj


def record_actor(obj, *, by, reason: str) -> None:
    """Tell django-simple-history who made the next save of `obj`, and why."""
    user = by if getattr(by, "is_authenticated", False) else None
    obj._history_user = user
    obj._change_reason = reason


def _history_reason(transition: Transition, source: str, reason: str) -> str:
    text = f"{transition.name}: {source} → {transition.target}"
    return f"{text} ({reason.strip()})" if reason and reason.strip() else text


def state_field(choices: type[models.TextChoices], default: str, verbose_name=None):
    """The state column: indexed, with choices; written only through a StateMachine."""
    return models.CharField(
        verbose_name or _("状态"),
        max_length=20,
        choices=choices.choices,
        default=default,
        db_index=True,
    )
