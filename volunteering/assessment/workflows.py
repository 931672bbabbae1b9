"""The workflow of the year-end assessment (考核评定): community staff draft and submit a member's
assessment, which locks it; only the city reopens it, with a reason."""

from django.utils.translation import gettext_lazy as _

from volunteering.assessment.models import Assessment
from volunteering.scopes import is_city_admin, is_staff_of
from workflows.statemachine import NEW, StateMachine, Transition, register

ASSESSMENT_GRADE_REQUIRED = _("请先选择评定等次。")


def _assessment_staff(user, assessment) -> bool:
    return is_staff_of(user, assessment.community_id)


def _city(user, assessment) -> bool:
    return is_city_admin(user)


def _has_grade(assessment) -> str | None:
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

register({Assessment: ASSESSMENT_WORKFLOW})
