"""The admin of sign-ups (活动报名) with their workflow actions (approve, reject, mark attendance,
correct the hours), and the dashboard queue of sign-ups to approve."""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.models import Page

from volunteering import scopes
from volunteering.admin.dashboard import state_queue
from volunteering.admin.policy import VIEW, Scope, activities_under, register_scopes
from volunteering.admin.viewsets import ScopedModelViewSet, _reason
from volunteering.signups import services as signup_services
from volunteering.signups.filters import SignUpFilterSet
from volunteering.signups.forms import AttendanceForm
from volunteering.signups.models import SignUp
from volunteering.signups.workflows import SIGNUP_WORKFLOW

register_scopes(
    {
        SignUp: Scope(
            city=VIEW,
            staff=VIEW,
            organisation=VIEW,
            by_community=activities_under,
            by_organisation=lambda ids: Q(member__organisation_id__in=ids),
        ),
    }
)


def _community_of_activity(signup) -> Any:
    return signup.activity.get_parent()


def _mark_attended(obj, by, data):
    return signup_services.signup_mark_attendance(
        signup=obj, by=by, attended=True, hours=data.get("hours")
    )


class SignUpViewSet(ScopedModelViewSet):
    model = SignUp
    icon = "date"
    menu_label = _("活动报名")
    workflow = SIGNUP_WORKFLOW
    filterset_class = SignUpFilterSet
    search_fields = ["member__real_name", "activity__title"]
    list_select_related = ("member__organisation", "activity")
    list_display = [
        "member",
        "activity",
        Column("community", label=_("社区"), accessor=_community_of_activity),
        Column("activity.starts_at", label=_("活动时间"), sort_key="activity__starts_at"),
        "state",
        "hours",
    ]
    list_export = [
        "member.real_name",
        "member.organisation",
        "activity",
        "community",
        "activity.starts_at",
        "get_state_display",
        "checked_in_at",
        "hours",
        "created_at",
    ]
    export_headings = {
        "checked_in_at": _("签到时间"),
        "hours": _("服务时长（小时）"),
        "created_at": _("报名时间"),
        "activity": _("活动"),
        "member.real_name": _("姓名"),
        "member.organisation": _("工作单位"),
        "community": _("社区"),
        "activity.starts_at": _("活动开始时间"),
        "get_state_display": _("状态"),
    }
    export_values = {"community": _community_of_activity}
    inspect_view_fields = [
        "member",
        "activity",
        "state",
        "queued_at",
        "checked_in_at",
        "hours",
        "created_at",
        "state_changed_at",
    ]
    action_forms = {"mark_attended": AttendanceForm, "set_hours": AttendanceForm}
    services = {
        "approve": lambda o, by, d: signup_services.signup_approve(
            signup=o, by=by, note=_reason(d)
        ),
        "reject": lambda o, by, d: signup_services.signup_reject(
            signup=o, by=by, reason=_reason(d)
        ),
        "cancel": lambda o, by, d: signup_services.signup_cancel(
            signup=o, by=by, reason=_reason(d)
        ),
        "mark_attended": _mark_attended,
        "mark_no_show": lambda o, by, d: signup_services.signup_mark_attendance(
            signup=o, by=by, attended=False
        ),
        "set_hours": _mark_attended,
    }
    reason_labels = {"reject": _("不通过的理由")}

    def prepare_rows(self, request, rows):
        """Each activity's community (its parent page), for the community column and for the
        workflow's "is this user staff of the activity's community" test: staff's own
        communities are known with their permissions (no query); others in one query."""
        activities = [row.activity for row in rows]
        parents = {p.path: p for p in scopes.staff_community_ids(request.user).pages.values()}
        missing = {a.path[: -a.steplen] for a in activities} - parents.keys()
        if missing:
            parents.update((p.path, p) for p in Page.objects.filter(path__in=missing))
        for activity in activities:
            activity._cached_parent_obj = parents.get(activity.path[: -activity.steplen])

    def extra_actions(self, user, obj):
        """Correcting the hours of an attended sign-up (not a change of state)."""
        may_mark = SIGNUP_WORKFLOW.by_name["mark_attended"].allowed(user, obj)
        if obj.state == SignUp.State.ATTENDED and may_mark:
            return [self._offered("set_hours", _("修改服务时长"), "secondary", False)]
        return []


signups_viewset = SignUpViewSet()


# What waits on the dashboard (待我处理).
SIGNUP_QUEUE = state_queue(SignUp, SignUp.State.PENDING, _("待审核的活动报名"))
