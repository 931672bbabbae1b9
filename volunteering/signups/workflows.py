"""The workflow of a sign-up: the service picks its first state (approved, pending or
waitlisted), staff approve or reject it, the member cancels before the deadline, and attendance is
recorded from `CHECKIN_MARGIN` before the start."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from volunteering.errors import ATTENDANCE_TOO_EARLY
from volunteering.reporting.workflows import _own
from volunteering.scopes import is_staff_of
from volunteering.signups.models import SignUp
from volunteering.signups.selectors import activity_hours
from workflows.statemachine import NEW, StateMachine, Transition, register

CHECKIN_MARGIN = timedelta(hours=1)


def _signup_community(signup) -> int | None:
    # An activity page lives directly below its community page (the sign-up service reads its
    # id with the locked activity, as `parent_page_id`, and saves the query here).
    activity = signup.activity
    parent_id = getattr(activity, "parent_page_id", None)
    return parent_id if parent_id is not None else activity.get_parent().pk


def _signup_staff(user, signup) -> bool:
    return is_staff_of(user, _signup_community(signup))


def _before_cancel_deadline(signup) -> str | None:
    activity = signup.activity
    deadline = activity.cancel_deadline or activity.starts_at
    if timezone.now() > deadline:
        return str(_("已过取消报名截止时间。"))
    return None


def _activity_has_begun(signup) -> str | None:
    """Attendance is recorded from an hour before the start (when check-in opens) onwards."""
    if timezone.now() < signup.activity.starts_at - CHECKIN_MARGIN:
        return str(ATTENDANCE_TOO_EARLY)
    return None


def _stamp_checkin(signup, by, reason) -> None:
    """Attended: when, and the hours served (the activity's length unless already given), so
    that every reader finds the hours stored (docs/hours.md)."""
    signup.checked_in_at = signup.checked_in_at or timezone.now()
    if signup.hours is None:
        signup.hours = activity_hours(signup.activity)


def _clear_hours(signup, by, reason) -> None:
    signup.hours = None  # a no-show served no hours


SIGNUP_WORKFLOW = StateMachine(
    field="state",
    scope=_signup_community,
    transitions=[
        # Signing up: the service decides the first state from the places left and whether
        # the activity needs approval.
        Transition("submit_approved", [NEW], "approved", _("报名"), _own, system=True),
        Transition("submit_pending", [NEW], "pending", _("报名"), _own, system=True),
        Transition("submit_waitlisted", [NEW], "waitlisted", _("报名（候补）"), _own, system=True),
        Transition("approve", ["pending"], "approved", _("通过"), _signup_staff),
        Transition(
            "reject",
            ["pending", "waitlisted"],
            "rejected",
            _("不通过"),
            _signup_staff,
            reason_required=True,
            style="secondary",
        ),
        Transition(
            "cancel",
            ["pending", "approved", "waitlisted"],
            "cancelled",
            _("取消报名"),
            _own,
            guard=_before_cancel_deadline,
            style="secondary",
        ),
        # The system's own moves (the member and staff never pick these directly).
        Transition(
            "promote", ["waitlisted"], "approved", _("候补转正"), lambda u, o: True, system=True
        ),
        Transition(
            "promote_pending",
            ["waitlisted"],
            "pending",
            _("候补转待审核"),
            lambda u, o: True,
            system=True,
        ),
        # Closing the member's account (volunteering.privacy) ends what still waits.
        Transition(
            "close_account",
            ["pending", "approved", "waitlisted"],
            "cancelled",
            _("注销账号时取消"),
            lambda u, o: True,
            system=True,
        ),
        # Signing up again after cancelling revives the one sign-up (no duplicates).
        Transition(
            "resubmit_approved", ["cancelled"], "approved", _("重新报名"), _own, system=True
        ),
        Transition("resubmit_pending", ["cancelled"], "pending", _("重新报名"), _own, system=True),
        Transition(
            "resubmit_waitlisted", ["cancelled"], "waitlisted", _("重新报名"), _own, system=True
        ),
        # Attendance: the member by check-in code (system: needs the code), or staff by hand.
        Transition(
            "check_in",
            ["approved"],
            "attended",
            _("签到"),
            _own,
            effect=_stamp_checkin,
            system=True,
        ),
        Transition(
            "mark_attended",
            ["approved", "no_show"],
            "attended",
            _("记为出席"),
            _signup_staff,
            guard=_activity_has_begun,
            effect=_stamp_checkin,
        ),
        Transition(
            "mark_no_show",
            ["approved", "attended"],
            "no_show",
            _("记为缺席"),
            _signup_staff,
            guard=_activity_has_begun,
            effect=_clear_hours,
            style="secondary",
        ),
    ],
)


register({SignUp: SIGNUP_WORKFLOW})
