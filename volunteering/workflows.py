"""The volunteering workflows, declared once through `workflows.statemachine`.

Who may do what: the member acts on their own requests; community staff act on what belongs to
their community (`volunteering.scopes`); team leaders also decide on joining their team."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from volunteering.errors import ATTENDANCE_TOO_EARLY
from volunteering.models import (
    Assessment,
    Feedback,
    Need,
    NeedClaim,
    PostPledge,
    Report,
    SignUp,
    TeamMembership,
)
from volunteering.scopes import is_city_admin, is_staff_of
from workflows.statemachine import NEW, StateMachine, Transition, register


def _own(user, obj) -> bool:
    return getattr(user, "is_authenticated", False) and obj.member.user_id == user.pk


def _report_staff(user, report) -> bool:
    return is_staff_of(user, report.community_id)


def _own_or_report_staff(user, report) -> bool:
    return _own(user, report) or _report_staff(user, report)


def _need_staff(user, need) -> bool:
    return is_staff_of(user, need.community_id)


def _claim_staff(user, claim) -> bool:
    return is_staff_of(user, claim.need.community_id)


def _pledge_staff(user, pledge) -> bool:
    return is_staff_of(user, pledge.post.community_id)


def _signup_community(signup) -> int | None:
    # An activity page lives directly below its community page.
    return signup.activity.get_parent().pk


def _signup_staff(user, signup) -> bool:
    return is_staff_of(user, _signup_community(signup))


def _team_decider(user, membership) -> bool:
    team = membership.team
    if team.leader_id and team.leader.user_id == getattr(user, "pk", None):
        return True
    return is_staff_of(user, team.community_id)


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
    ],
)

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
    ],
)

TEAM_MEMBERSHIP_WORKFLOW = StateMachine(
    field="state",
    # A team of an organisation (not of a community) has no community scope.
    scope=lambda membership: membership.team.community_id,
    transitions=[
        Transition("request", [NEW], "requested", _("申请加入"), _own),
        Transition("approve", ["requested"], "approved", _("同意加入"), _team_decider),
        Transition(
            "decline",
            ["requested"],
            "declined",
            _("不同意"),
            _team_decider,
            reason_required=True,
            style="secondary",
        ),
        Transition("leave", ["requested", "approved"], "left", _("退出"), _own, style="secondary"),
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
        Transition("fulfil", ["accepted"], "fulfilled", _("确认履诺"), _pledge_staff),
    ],
)


def _before_cancel_deadline(signup) -> str | None:
    activity = signup.activity
    deadline = activity.cancel_deadline or activity.starts_at
    if timezone.now() > deadline:
        return str(_("已过取消报名截止时间。"))
    return None


def _activity_has_begun(signup) -> str | None:
    """Attendance is recorded from an hour before the start (when check-in opens) onwards."""
    from volunteering.services.signups import CHECKIN_MARGIN

    if timezone.now() < signup.activity.starts_at - CHECKIN_MARGIN:
        return str(ATTENDANCE_TOO_EARLY)
    return None


def _stamp_checkin(signup, by, reason) -> None:
    signup.checked_in_at = signup.checked_in_at or timezone.now()


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
            style="secondary",
        ),
    ],
)

# --- Residents' voice (听取群众意见建议) ---------------------------------------------------------


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

# --- Year-end assessment (考核评定) -----------------------------------------------------------


def _assessment_staff(user, assessment) -> bool:
    return is_staff_of(user, assessment.community_id)


def _city(user, assessment) -> bool:
    return is_city_admin(user)


def _has_grade(assessment) -> str | None:
    from volunteering.services.assessment import ASSESSMENT_GRADE_REQUIRED

    return None if assessment.grade else str(ASSESSMENT_GRADE_REQUIRED)


ASSESSMENT_WORKFLOW = StateMachine(
    field="state",
    scope=lambda assessment: assessment.community_id,
    transitions=[
        Transition("draft", [NEW], "draft", _("保存草稿"), _assessment_staff),
        # Submitting locks it; only the city reopens it, and says why.
        Transition(
            "submit",
            ["draft", "reopened"],
            "submitted",
            _("提交评定"),
            _assessment_staff,
            guard=_has_grade,
        ),
        Transition(
            "reopen",
            ["submitted"],
            "reopened",
            _("退回修改"),
            _city,
            reason_required=True,
            style="secondary",
        ),
    ],
)

WORKFLOWS = register(
    {
        Report: REPORT_WORKFLOW,
        Need: NEED_WORKFLOW,
        NeedClaim: CLAIM_WORKFLOW,
        TeamMembership: TEAM_MEMBERSHIP_WORKFLOW,
        PostPledge: PLEDGE_WORKFLOW,
        SignUp: SIGNUP_WORKFLOW,
        Feedback: FEEDBACK_WORKFLOW,
        Assessment: ASSESSMENT_WORKFLOW,
    }
)
