"""The admin of teams and team memberships with their workflow actions, and the dashboard queue
of requests to join."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column

from volunteering.admin.dashboard import state_queue
from volunteering.admin.policy import ALL, VIEW, Scope, register_scopes
from volunteering.admin.viewsets import ScopedModelViewSet, _reason
from volunteering.teams import services as team_services
from volunteering.teams.filters import TeamFilterSet, TeamMembershipFilterSet
from volunteering.teams.forms import TeamForm
from volunteering.teams.models import Team, TeamMembership
from volunteering.teams.workflows import TEAM_MEMBERSHIP_WORKFLOW

register_scopes(
    {
        Team: Scope(staff=ALL, by_community=lambda ids: Q(community_id__in=ids)),
        TeamMembership: Scope(
            city=VIEW, staff=VIEW, by_community=lambda ids: Q(team__community_id__in=ids)
        ),
    }
)


class TeamViewSet(ScopedModelViewSet):
    model = Team
    icon = "group"
    menu_label = _("服务队")
    form_class = TeamForm
    filterset_class = TeamFilterSet
    search_fields = ["name", "description"]
    list_select_related = ("expertise", "community", "organisation", "leader")
    list_display = [
        "name",
        "expertise",
        "community",
        "organisation",
        "leader",
        Column("member_count", label=_("成员人数"), sort_key="member_count"),
    ]
    list_export = ["name", "expertise", "community", "organisation", "leader", "member_count"]
    export_headings = {
        "name": _("队伍名称"),
        "expertise": _("专长"),
        "community": _("所属社区"),
        "organisation": _("所属单位"),
        "leader": _("队长"),
        "member_count": _("成员人数"),
    }
    inspect_view_fields = [
        "name",
        "expertise",
        "description",
        "community",
        "organisation",
        "leader",
    ]

    def annotate(self, request, queryset):
        approved = Q(memberships__state=TeamMembership.State.APPROVED)
        return queryset.annotate(member_count=Count("memberships", filter=approved))

    def row_links(self, request, obj):
        return [(_("成员"), memberships_viewset.index_url_with(team=obj.pk))]


class TeamMembershipViewSet(ScopedModelViewSet):
    model = TeamMembership
    icon = "group"
    menu_label = _("服务队成员")
    workflow = TEAM_MEMBERSHIP_WORKFLOW
    filterset_class = TeamMembershipFilterSet
    search_fields = ["member__real_name", "team__name"]
    list_select_related = ("member__organisation", "team__community", "team__leader")
    list_display = [
        "member",
        "team",
        Column("team.community", label=_("所属社区"), sort_key="team__community"),
        "state",
        "created_at",
    ]
    list_export = [
        "member.real_name",
        "member.organisation",
        "team",
        "team.community",
        "get_state_display",
        "created_at",
    ]
    export_headings = {
        "created_at": _("申请时间"),
        "team": _("服务队"),
        "member.real_name": _("姓名"),
        "member.organisation": _("工作单位"),
        "team.community": _("所属社区"),
        "get_state_display": _("状态"),
    }
    inspect_view_fields = ["member", "team", "state", "created_at", "state_changed_at"]
    services = {
        "approve": lambda o, by, d: team_services.team_join_approve(
            membership=o, by=by, note=_reason(d)
        ),
        "decline": lambda o, by, d: team_services.team_join_decline(
            membership=o, by=by, reason=_reason(d)
        ),
        "leave": lambda o, by, d: team_services.team_leave(membership=o, by=by, reason=_reason(d)),
    }
    reason_labels = {"decline": _("不同意的理由")}


teams_viewset = TeamViewSet()
memberships_viewset = TeamMembershipViewSet()
MEMBERSHIP_QUEUE = state_queue(
    TeamMembership, TeamMembership.State.REQUESTED, _("待审核的入队申请")
)
