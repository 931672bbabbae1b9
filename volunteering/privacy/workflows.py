"""The workflow of a request to close an account: the member asks or withdraws; an admin of
the member's organisation, or the city, confirms or rejects (with a reason)."""

from django.utils.translation import gettext_lazy as _

from volunteering.admin.policy import managed_organisation_ids
from volunteering.privacy.models import AccountClosure
from volunteering.scopes import is_city_admin
from workflows.statemachine import NEW, StateMachine, Transition, register


def _own(user, closure) -> bool:
    return getattr(user, "is_authenticated", False) and closure.member.user_id == user.pk


def _deciders(user, closure) -> bool:
    """The member's organisation's admins and the city; never the member themselves."""
    if not getattr(user, "is_authenticated", False) or _own(user, closure):
        return False
    return is_city_admin(user) or closure.organisation_id in managed_organisation_ids(user)


CLOSURE_WORKFLOW = StateMachine(
    field="state",
    transitions=[
        Transition("request", [NEW], "pending", _("申请注销账号"), _own),
        Transition(
            "withdraw", ["pending"], "withdrawn", _("撤回注销申请"), _own, style="secondary"
        ),
        Transition("confirm", ["pending"], "confirmed", _("确认注销"), _deciders),
        Transition(
            "reject",
            ["pending"],
            "rejected",
            _("不同意注销"),
            _deciders,
            reason_required=True,
            style="secondary",
        ),
    ],
)

register({AccountClosure: CLOSURE_WORKFLOW})
