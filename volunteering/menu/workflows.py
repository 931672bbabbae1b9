"""The workflows of the service menu: a need (published, closed, reopened), a member's claim on it
(认领) and a member's pledge to a post (领岗承诺)."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from volunteering.menu.models import Need, NeedClaim, PostPledge
from volunteering.reporting.workflows import _own
from volunteering.scopes import is_staff_of
from workflows.statemachine import NEW, StateMachine, Transition, register


def _need_staff(user, need) -> bool:
    return is_staff_of(user, need.community_id)


def _claim_staff(user, claim) -> bool:
    return is_staff_of(user, claim.need.community_id)


def _pledge_staff(user, pledge) -> bool:
    return is_staff_of(user, pledge.post.community_id)


PLEDGE_PERIOD_NOT_OVER = _("承诺期到%(ends_on)s结束，届时才能确认履诺。")


def _pledge_period_over(pledge) -> str | None:
    if timezone.localdate() < pledge.ends_on:
        return str(PLEDGE_PERIOD_NOT_OVER % {"ends_on": date_format(pledge.ends_on, "Y-m-d")})
    return None


NEED_WORKFLOW = StateMachine(
    field="state",
    scope=lambda need: need.community_id,
    transitions=[
        Transition("publish", [NEW], "open", _("发布需求"), _need_staff),
        Transition("close", ["open"], "closed", _("结束需求"), _need_staff, style="secondary"),
        Transition("reopen", ["closed"], "open", _("重新开放"), _need_staff),
    ],
)


CLAIM_WORKFLOW = StateMachine(
    field="state",
    scope=lambda claim: claim.need.community_id,
    transitions=[
        Transition("claim", [NEW], "pending", _("认领"), _own),
        Transition("confirm", ["pending"], "confirmed", _("确认认领"), _claim_staff),
        Transition(
            "decline",
            ["pending"],
            "declined",
            _("不通过"),
            _claim_staff,
            reason_required=True,
            style="secondary",
        ),
        Transition(
            "withdraw",
            ["pending", "confirmed"],
            "withdrawn",
            _("撤回认领"),
            _own,
            style="secondary",
        ),
        Transition(
            "complete", ["confirmed"], "done", _("记录完成"), _claim_staff, reason_required=True
        ),
        # Closing the member's account (volunteering.privacy) ends what still waits.
        Transition(
            "close_account",
            ["pending"],
            "withdrawn",
            _("注销账号时撤回"),
            lambda u, o: True,
            system=True,
        ),
    ],
)


PLEDGE_WORKFLOW = StateMachine(
    field="state",
    scope=lambda pledge: pledge.post.community_id,
    transitions=[
        Transition("pledge", [NEW], "pending", _("领岗承诺"), _own),
        Transition("accept", ["pending"], "accepted", _("接受承诺"), _pledge_staff),
        Transition(
            "decline",
            ["pending"],
            "declined",
            _("不接受"),
            _pledge_staff,
            reason_required=True,
            style="secondary",
        ),
        Transition(
            "withdraw", ["pending", "accepted"], "withdrawn", _("撤回承诺"), _own, style="secondary"
        ),
        # Closing the member's account (volunteering.privacy) ends what still waits.
        Transition(
            "close_account",
            ["pending"],
            "withdrawn",
            _("注销账号时撤回"),
            lambda u, o: True,
            system=True,
        ),
        # Fulfilled is a judgement on the whole period: from its last day on, never before.
        Transition(
            "fulfil",
            ["accepted"],
            "fulfilled",
            _("确认履诺"),
            _pledge_staff,
            guard=_pledge_period_over,
        ),
    ],
)


register(
    {
        Need: NEED_WORKFLOW,
        NeedClaim: CLAIM_WORKFLOW,
        PostPledge: PLEDGE_WORKFLOW,
    }
)
