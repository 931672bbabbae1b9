from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column

from volunteering.admin.dashboard import AwaitingItem, state_queue
from volunteering.admin.policy import VIEW, Scope, managed_organisation_ids, register_scopes
from volunteering.admin.viewsets import VIEWSETS, ScopedModelViewSet, _reason
from volunteering.people.filters import MemberFilterSet
from volunteering.people.models import Member
from volunteering.reporting import services as report_services
from volunteering.reporting.filters import ReportFilterSet
from volunteering.reporting.models import Report
from volunteering.reporting.workflows import REPORT_WORKFLOW

register_scopes(
    {
        Report: Scope(
            city=VIEW,
            staff=VIEW,
            organisation=VIEW,
            by_community=lambda ids: Q(community_id__in=ids),
            by_organisation=lambda ids: Q(member__organisation_id__in=ids),
        ),
    }
)


class ReportViewSet(ScopedModelViewSet):
    model = Report
    icon = "clipboard-list"
    menu_label = _("报到")
    workflow = REPORT_WORKFLOW
    filterset_class = ReportFilterSet
    search_fields = ["member__real_name", "member__user__username", "community__title"]
    list_select_related = ("member__organisation", "community")
    list_display = [
        "member",
        Column("member.organisation", label=_("工作单位"), sort_key="member__organisation"),
        "community",
        "kind",
        BooleanColumn("is_primary", label=_("主报到社区"), sort_key="is_primary"),
        "state",
        "created_at",
    ]
    list_export = [
        "member.real_name",
        "member.organisation",
        "community",
        "get_kind_display",
        "is_primary",
        "get_state_display",
        "note",
        "created_at",
        "state_changed_at",
    ]
    export_headings = {
        "is_primary": _("主报到社区"),
        "note": _("说明"),
        "created_at": _("报到时间"),
        "state_changed_at": _("状态变更时间"),
        "community": _("社区"),
        "member.real_name": _("姓名"),
        "member.organisation": _("工作单位"),
        "get_kind_display": _("报到类型"),
        "get_state_display": _("状态"),
    }
    inspect_view_fields = [
        "member",
        "community",
        "kind",
        "is_primary",
        "note",
        "state",
        "created_at",
        "state_changed_at",
    ]
    services = {
        "confirm": lambda o, by, d: report_services.report_confirm(
            report=o, by=by, note=_reason(d)
        ),
        "return": lambda o, by, d: report_services.report_return(
            report=o, by=by, reason=_reason(d)
        ),
        "withdraw": lambda o, by, d: report_services.report_withdraw(
            report=o, by=by, reason=_reason(d)
        ),
    }
    reason_labels = {"return": _("退回理由")}


reports_viewset = ReportViewSet()


# What waits on the dashboard (待我处理): reports to confirm, and an organisation's members who
# have not reported.
REPORT_QUEUE = state_queue(Report, Report.State.PENDING, _("待确认的报到"))


def not_reported_queue(user) -> AwaitingItem | None:
    organisation_ids = managed_organisation_ids(user)
    if not organisation_ids:
        return None
    count = (
        Member.objects.filter(organisation_id__in=organisation_ids)
        .exclude(reports__state__in=Report.ACTIVE_STATES)
        .count()
    )
    url = VIEWSETS[Member].index_url_with(report_status=MemberFilterSet.NOT_REPORTED)
    return AwaitingItem(str(_("本单位尚未报到的党员")), count, url)
