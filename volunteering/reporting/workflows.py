"""The workflow of a report (报到): the member submits it (or staff record it for them), staff
confirm or return it, the member withdraws it. `_own` (a member acting on their own record) is
shared by the workflows of the capabilities above."""

from django.utils.translation import gettext_lazy as _

from volunteering.reporting.models import Report
from volunteering.scopes import is_staff_of
from workflows.statemachine import NEW, StateMachine, Transition, register


def _own(user, obj) -> bool:
    return getattr(user, "is_authenticated", False) and obj.member.user_id == user.pk


def _report_staff(user, report) -> bool:
    return is_staff_of(user, report.community_id)


def _own_or_report_staff(user, report) -> bool:
    return _own(user, report) or _report_staff(user, report)


REPORT_WORKFLOW = StateMachine(
    field="state",
    scope=lambda report: report.community_id,
    transitions=[
        # The member reports; staff may also record a report on a member's behalf.
        Transition("submit", [NEW], "pending", _("提交报到"), _own_or_report_staff),
        Transition("confirm", ["pending"], "confirmed", _("确认报到"), _report_staff),
        Transition(
            "return",
            ["pending"],
            "returned",
            _("退回"),
            _report_staff,
            reason_required=True,
            style="secondary",
        ),
        Transition(
            "withdraw", ["pending", "confirmed"], "withdrawn", _("撤回"), _own, style="secondary"
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

register({Report: REPORT_WORKFLOW})
