"""The workflow of a resident's item (居民诉求): submitted online or recorded by staff, accepted,
assigned, closed with an outcome (the public reply), rejected or reopened."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from volunteering.scopes import is_staff_of
from volunteering.voice.models import Feedback
from workflows.statemachine import NEW, StateMachine, Transition, register


def _feedback_staff(user, feedback) -> bool:
    return is_staff_of(user, feedback.community_id)


def _closing(outcome: str):
    """Closing with an outcome: the reason is the public reply shown on the status page."""

    def effect(feedback, by, reason) -> None:
        feedback.outcome = outcome
        feedback.outcome_note = reason.strip()
        feedback.closed_at = timezone.now()

    return effect


def _reject(feedback, by, reason) -> None:
    feedback.outcome = ""
    feedback.outcome_note = reason.strip()
    feedback.closed_at = timezone.now()


def _reopen(feedback, by, reason) -> None:
    feedback.outcome = ""
    feedback.outcome_note = ""
    feedback.closed_at = None


_FEEDBACK_OPEN = ["accepted", "assigned"]
FEEDBACK_WORKFLOW = StateMachine(
    field="state",
    scope=lambda feedback: feedback.community_id,
    transitions=[
        # A resident's online message (no account), and what staff heard offline (accepted at
        # once: staff heard it themselves).
        Transition("submit", [NEW], "submitted", _("提交诉求"), system=True),
        Transition("record", [NEW], "accepted", _("登记诉求"), _feedback_staff),
        Transition("accept", ["submitted"], "accepted", _("受理"), _feedback_staff),
        # The service sets the member or team first (the model refuses "assigned" without one).
        Transition("assign", _FEEDBACK_OPEN, "assigned", _("分派"), _feedback_staff),
        Transition(
            "resolve",
            _FEEDBACK_OPEN,
            "closed",
            _("办结：已解决"),
            _feedback_staff,
            reason_required=True,
            effect=_closing("resolved"),
        ),
        Transition(
            "answer",
            _FEEDBACK_OPEN,
            "closed",
            _("办结：已答复"),
            _feedback_staff,
            reason_required=True,
            effect=_closing("answered"),
        ),
        Transition(
            "refer",
            _FEEDBACK_OPEN,
            "closed",
            _("办结：已转交"),
            _feedback_staff,
            reason_required=True,
            effect=_closing("referred"),
        ),
        Transition(
            "reject",
            ["submitted", "accepted"],
            "rejected",
            _("不予受理"),
            _feedback_staff,
            reason_required=True,
            effect=_reject,
            style="secondary",
        ),
        Transition(
            "reopen",
            ["closed", "rejected"],
            "accepted",
            _("重新办理"),
            _feedback_staff,
            reason_required=True,
            effect=_reopen,
            style="secondary",
        ),
    ],
)

register({Feedback: FEEDBACK_WORKFLOW})
