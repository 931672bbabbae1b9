"""The viewsets of the 志愿服务 admin menu: one per model, all scoped through the one policy.

`ScopedModelViewSet` wires Wagtail's generic views to `volunteering.admin.policy`, offers the
workflow actions `<WORKFLOW>.available(obj, user)` returns (as row buttons and header buttons),
and performs them through the services."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.admin.utils import quote
from django.contrib.auth.models import Permission
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models import CharField as CharFieldType
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.coreutils import multigetattr
from wagtail.log_actions import log
from wagtail.models import Page

from volunteering import filters, scopes
from volunteering.admin import forms
from volunteering.admin.policy import (
    managed_organisation_ids,
    phone_visible_condition,
    scoped_queryset,
)
from volunteering.admin.views import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedEditView,
    ScopedHistoryView,
    ScopedIndexView,
    ScopedInspectView,
    ScopedUsageView,
    WorkflowActionView,
)
from volunteering.models import (
    Member,
    Need,
    NeedClaim,
    Organisation,
    Post,
    PostPledge,
    Report,
    SignUp,
    Skill,
    Team,
    TeamMembership,
    Theme,
)
from volunteering.selectors.menu import members_matching_need
from volunteering.services import menu as menu_services
from volunteering.services import reports as report_services
from volunteering.services import signups as signup_services
from volunteering.services.imports import member_create
from volunteering.workflows import (
    CLAIM_WORKFLOW,
    NEED_WORKFLOW,
    PLEDGE_WORKFLOW,
    REPORT_WORKFLOW,
    SIGNUP_WORKFLOW,
    TEAM_MEMBERSHIP_WORKFLOW,
)

ALL_ACTIONS = ("add", "change", "delete", "view")

# A service call for one action: (object, user, cleaned form data) → the changed object.
Perform = Callable[[Any, Any, dict], Any]


@dataclass(frozen=True)
class OfferedAction:
    """A workflow transition (or attendance entry) a user may perform on one object now."""

    name: str
    label: str
    style: str
    reason_required: bool
    reason_label: Any
    attendance: bool
    call: Perform

    @property
    def priority(self) -> int:
        return 1 if self.style == "primary" else 2

    def form(self, data=None):
        if self.attendance:
            return forms.AttendanceForm(data)
        return forms.ReasonForm(data, required=self.reason_required, label=self.reason_label)

    def perform(self, *, request, obj, data: dict):
        return self.call(obj, request.user, data)


def _reason(data: dict) -> str:
    return (data.get("reason") or "").strip()


class ScopedModelViewSet(ModelViewSet):
    """A ModelViewSet whose every view, export and action is scoped by the policy."""

    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    inspect_view_class = ScopedInspectView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    action_view_class = WorkflowActionView
    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None
    search_fields = None
    list_per_page = 30
    list_select_related: tuple[str, ...] = ()
    list_prefetch_related: tuple[str, ...] = ()
    form_class = None
    workflow = None
    # transition name → service call; transitions without one are not offered
    services: dict[str, Perform] = {}
    reason_labels: dict[str, Any] = {}
    attendance_actions: frozenset[str] = frozenset()
    # export field → function of the row (for values that are not attributes)
    export_values: dict[str, Callable] = {}

    @cached_property
    def name(self):
        return f"volunteering_{self.model_name}"

    @cached_property
    def url_prefix(self):
        return f"volunteering/{self.model_name}"

    @cached_property
    def export_filename(self):
        return self.model_name

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(viewset=self, **kwargs)

    def get_form_class(self, for_update=False):
        return self.form_class

    def get_permissions_to_register(self):
        """Rights come from scopes, not Django model permissions: offer none in the groups UI."""
        return Permission.objects.none()

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("action/<int:pk>/<slug:action>/", self.action_view, name="action"),
        ]

    @property
    def action_view(self):
        return self.construct_view(self.action_view_class, model=self.model)

    # --- Querysets (all through the policy) ---------------------------------------------

    def object_queryset(self, request, actions):
        queryset = scoped_queryset(self.model, request.user, actions)
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return queryset

    def index_queryset(self, request):
        queryset = self.object_queryset(request, ALL_ACTIONS)
        if self.list_prefetch_related:
            queryset = queryset.prefetch_related(*self.list_prefetch_related)
        return self.annotate(request, queryset)

    def annotate(self, request, queryset):
        return queryset

    def prepare_rows(self, request, rows: list) -> None:
        """Fill caches the rows' columns and actions need (one query, not one per row)."""

    # --- URLs and buttons -----------------------------------------------------------------

    @property
    def index_url(self) -> str:
        return reverse(self.get_url_name("index"))

    def object_url(self, request, obj) -> str:
        return reverse(self.get_url_name("inspect"), args=(quote(obj.pk),))

    def action_url(self, obj, name: str, *, next_url: str = "") -> str:
        url = reverse(self.get_url_name("action"), args=(obj.pk, name))
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url

    def index_url_with(self, **params) -> str:
        return f"{self.index_url}?{urlencode(params)}"

    def index_header_buttons(self, request) -> list:
        return []

    def row_links(self, request, obj) -> list[tuple[Any, str]]:
        """Extra (label, url) links of a row, e.g. to a team's memberships."""
        return []

    def object_action_buttons(self, request, obj, *, header: bool = False) -> list:
        button_class = HeaderButton if header else Button
        next_url = self.object_url(request, obj)
        return [
            button_class(
                action.label,
                url=self.action_url(obj, action.name, next_url=next_url),
                icon_name="tasks",
                priority=action.priority,
            )
            for action in self.offered_actions(request.user, obj)
        ]

    # --- Workflow actions -------------------------------------------------------------------

    def offered_actions(self, user, obj) -> list[OfferedAction]:
        if self.workflow is None:
            return []
        offered = [
            self._offered(t.name, t.label, t.style, t.reason_required)
            for t in self.workflow.available(obj, user)
            if not t.system and t.name in self.services
        ]
        return offered + self.extra_actions(user, obj)

    def extra_actions(self, user, obj) -> list[OfferedAction]:
        return []

    def _offered(self, name, label, style, reason_required) -> OfferedAction:
        return OfferedAction(
            name=name,
            label=label,
            style=style,
            reason_required=reason_required,
            reason_label=self.reason_labels.get(name),
            attendance=name in self.attendance_actions,
            call=self.services[name],
        )

    def offered_action(self, user, obj, name: str) -> OfferedAction | None:
        return next((a for a in self.offered_actions(user, obj) if a.name == name), None)

    def state_label(self, obj) -> str:
        return self.workflow.state_label(obj) if self.workflow else ""

    def inspect_extra(self, request, obj) -> dict:
        """More for the inspect page's template; the object is already in the user's scope."""
        return {}

    # --- Inspect, create, export hooks --------------------------------------------------------

    def inspect_fields(self, request, obj) -> list[str]:
        return list(self.inspect_view_fields)

    def inspect_value(self, request, obj, field_name):
        return None

    def create_instance(self, request, form):
        """Create through a service instead of `form.save()`; None to let Wagtail save."""
        return None

    def get_export_filename(self) -> str:
        return self.export_filename

    def export_row(self, item) -> dict:
        return {
            field: (
                self.export_values[field](item)
                if field in self.export_values
                else multigetattr(item, field)
            )
            for field in self.list_export
        }


def _community_of_activity(signup) -> Any:
    return signup.activity.get_parent()


# --- People ---------------------------------------------------------------------------------


class OrganisationViewSet(ScopedModelViewSet):
    model = Organisation
    icon = "site"
    menu_label = _("单位")
    form_class = forms.OrganisationForm
    filterset_class = filters.OrganisationFilterSet
    search_fields = ["name", "address"]
    list_select_related = ("county", "linked_community")
    list_display = [
        "name",
        "kind",
        "county",
        "linked_community",
        Column("member_count", label=_("党员人数"), sort_key="member_count"),
    ]
    list_export = [
        "name",
        "get_kind_display",
        "county",
        "address",
        "linked_community",
        "member_count",
    ]
    export_headings = {
        "name": _("名称"),
        "get_kind_display": _("类型"),
        "county": _("所在县（市、区）"),
        "address": _("地址"),
        "linked_community": _("挂钩联系社区"),
        "member_count": _("党员人数"),
    }
    inspect_view_fields = ["name", "kind", "county", "address", "linked_community", "admins"]

    def annotate(self, request, queryset):
        return queryset.annotate(member_count=Count("members"))

    def get_permissions_to_register(self):
        return Permission.objects.filter(
            content_type__app_label="volunteering", codename="manage_all_communities"
        )

    def row_links(self, request, obj):
        return [
            (_("党员"), members_viewset.index_url_with(organisation=obj.pk)),
            (_("导入党员"), members_viewset.import_url(organisation=obj.pk)),
        ]


class MemberViewSet(ScopedModelViewSet):
    model = Member
    icon = "user"
    menu_label = _("在职党员")
    form_class = forms.MemberForm
    filterset_class = filters.MemberFilterSet
    search_fields = ["real_name", "user__username"]
    list_select_related = ("user", "organisation", "residence_community")
    list_display = [
        "real_name",
        Column("user.username", label=_("用户名")),
        "organisation",
        "residence_community",
        Column("visible_phone", label=_("手机号")),
        "created_at",
    ]
    list_export = [
        "user.username",
        "real_name",
        "organisation",
        "residence_community",
        "visible_phone",
        "skills_text",
        "other_skills",
        "reported_communities",
        "created_at",
    ]
    export_headings = {
        "user.username": _("用户名"),
        "real_name": _("姓名"),
        "organisation": _("工作单位"),
        "residence_community": _("居住地社区"),
        "visible_phone": _("手机号"),
        "skills_text": _("技能特长"),
        "other_skills": _("其他特长"),
        "reported_communities": _("已确认报到的社区"),
        "created_at": _("创建时间"),
    }
    export_values = {
        "skills_text": lambda m: "、".join(s.name for s in m.skills.all()),
        "reported_communities": lambda m: "、".join(
            r.community.title for r in m.reports.all() if r.state == Report.State.CONFIRMED
        ),
    }
    list_prefetch_related = ("skills", "reports__community")
    inspect_view_fields = [
        "real_name",
        "organisation",
        "residence_community",
        "phone",
        "skills",
        "other_skills",
        "privacy_consent_at",
        "created_at",
    ]

    def annotate(self, request, queryset):
        """The phone as a column only where the user may see it (else empty)."""
        return queryset.annotate(
            visible_phone=Case(
                When(phone_visible_condition(request.user), then=F("phone")),
                default=Value(""),
                output_field=CharFieldType(),
            )
        )

    def inspect_fields(self, request, obj):
        fields = list(self.inspect_view_fields)
        if not scopes.can_see_member_phone(request.user, obj):
            fields.remove("phone")
        return fields

    def inspect_extra(self, request, obj) -> dict:
        # The printable service file (服务档案), for those it is open to (selectors.printing).
        from volunteering.selectors.printing import may_print_service_file

        if not may_print_service_file(request.user, obj):
            return {}
        return {"print_url": reverse("service:service_file_print", args=[obj.pk])}

    def create_instance(self, request, form):
        data = form.cleaned_data
        member = member_create(
            organisation=data["organisation"],
            username=data["username"],
            real_name=data["real_name"],
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            residence_community=data.get("residence_community"),
            skills=data.get("skills", ()),
            other_skills=data.get("other_skills", ""),
            by=request.user,
        )
        log(member, "wagtail.create", user=request.user)
        return member

    def can_import(self, request) -> bool:
        return scopes.is_city_admin(request.user) or bool(managed_organisation_ids(request.user))

    def import_url(self, **params) -> str:
        url = reverse(self.get_url_name("import"))
        return f"{url}?{urlencode(params)}" if params else url

    def import_url_named(self, name: str) -> str:
        return reverse(self.get_url_name(name))

    def index_header_buttons(self, request):
        if not self.can_import(request):
            return []
        return [HeaderButton(_("批量导入"), url=self.import_url(), icon_name="upload")]

    def get_urlpatterns(self):
        from volunteering.admin import imports

        return super().get_urlpatterns() + [
            path("import/", imports.MemberImportView.as_view(viewset=self), name="import"),
            path(
                "import/confirm/",
                imports.MemberImportConfirmView.as_view(viewset=self),
                name="import_confirm",
            ),
            path(
                "import/template.xlsx",
                imports.member_import_template_view,
                name="import_template",
            ),
        ]


# --- Reporting ------------------------------------------------------------------------------


class ReportViewSet(ScopedModelViewSet):
    model = Report
    icon = "clipboard-list"
    menu_label = _("报到")
    workflow = REPORT_WORKFLOW
    filterset_class = filters.ReportFilterSet
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
        "member.real_name": _("姓名"),
        "member.organisation": _("工作单位"),
        "community": _("社区"),
        "get_kind_display": _("报到类型"),
        "is_primary": _("主报到社区"),
        "get_state_display": _("状态"),
        "note": _("说明"),
        "created_at": _("报到时间"),
        "state_changed_at": _("状态变更时间"),
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


# --- Service menu ---------------------------------------------------------------------------


def _generic_perform(workflow, name):
    """For transitions without a service of their own: lock, perform, save."""
    from django.db import transaction

    def perform(obj, by, data):
        with transaction.atomic():
            locked = type(obj).objects.select_for_update().get(pk=obj.pk)
            return workflow.perform(locked, name, by=by, reason=_reason(data))

    return perform


MATCHES_SHOWN = 50


class NeedViewSet(ScopedModelViewSet):
    model = Need
    icon = "list-ul"
    menu_label = _("服务需求")
    form_class = forms.NeedForm
    workflow = NEED_WORKFLOW
    filterset_class = filters.NeedFilterSet
    search_fields = ["title", "description"]
    list_select_related = ("community",)
    list_display = [
        "title",
        "community",
        "places",
        Column("claim_count", label=_("有效认领"), sort_key="claim_count"),
        "starts_on",
        "ends_on",
        "state",
    ]
    list_export = [
        "title",
        "community",
        "description",
        "skills_text",
        "places",
        "claim_count",
        "starts_on",
        "ends_on",
        "get_state_display",
        "created_at",
    ]
    export_headings = {
        "title": _("需求名称"),
        "community": _("社区"),
        "description": _("需求说明"),
        "skills_text": _("所需特长"),
        "places": _("需要人数"),
        "claim_count": _("有效认领"),
        "starts_on": _("开始日期"),
        "ends_on": _("结束日期"),
        "get_state_display": _("状态"),
        "created_at": _("发布时间"),
    }
    export_values = {"skills_text": lambda n: "、".join(s.name for s in n.skills.all())}
    list_prefetch_related = ("skills",)
    inspect_view_fields = [
        "title",
        "community",
        "description",
        "skills",
        "places",
        "starts_on",
        "ends_on",
        "state",
        "created_at",
    ]
    services = {
        "close": lambda o, by, d: menu_services.need_close(need=o, by=by, reason=_reason(d)),
        "reopen": _generic_perform(NEED_WORKFLOW, "reopen"),
    }

    def annotate(self, request, queryset):
        return queryset.annotate(
            claim_count=Count("claims", filter=Q(claims__state__in=NeedClaim.ACTIVE_STATES))
        )

    def create_instance(self, request, form):
        data = form.cleaned_data
        need = menu_services.need_create(
            community=data["community"],
            title=data["title"],
            by=request.user,
            description=data.get("description", ""),
            skills=data.get("skills", ()),
            places=data["places"],
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
        )
        log(need, "wagtail.create", user=request.user)
        return need

    def row_links(self, request, obj):
        return [(_("认领"), claims_viewset.index_url_with(need=obj.pk))]

    def inspect_extra(self, request, obj) -> dict:
        # 社区所需, 党员所长: the community's confirmed members whose skills fit, best first.
        return {"matching_members": members_matching_need(need=obj, limit=MATCHES_SHOWN)}


class NeedClaimViewSet(ScopedModelViewSet):
    model = NeedClaim
    icon = "success"
    menu_label = _("需求认领")
    workflow = CLAIM_WORKFLOW
    filterset_class = filters.NeedClaimFilterSet
    search_fields = ["member__real_name", "need__title"]
    list_select_related = ("member__organisation", "need__community")
    list_display = [
        "member",
        "need",
        Column("need.community", label=_("社区"), sort_key="need__community"),
        "state",
        "created_at",
    ]
    list_export = [
        "member.real_name",
        "member.organisation",
        "need",
        "need.community",
        "get_state_display",
        "outcome",
        "created_at",
    ]
    export_headings = {
        "member.real_name": _("姓名"),
        "member.organisation": _("工作单位"),
        "need": _("服务需求"),
        "need.community": _("社区"),
        "get_state_display": _("状态"),
        "outcome": _("服务结果"),
        "created_at": _("认领时间"),
    }
    inspect_view_fields = ["member", "need", "state", "outcome", "created_at", "state_changed_at"]
    services = {
        "confirm": lambda o, by, d: menu_services.claim_confirm(claim=o, by=by, note=_reason(d)),
        "decline": lambda o, by, d: menu_services.claim_decline(claim=o, by=by, reason=_reason(d)),
        "withdraw": lambda o, by, d: menu_services.claim_withdraw(
            claim=o, by=by, reason=_reason(d)
        ),
        "complete": lambda o, by, d: menu_services.claim_complete(
            claim=o, by=by, outcome=_reason(d)
        ),
    }
    reason_labels = {"decline": _("不通过的理由"), "complete": _("服务结果")}


class TeamViewSet(ScopedModelViewSet):
    model = Team
    icon = "group"
    menu_label = _("服务队")
    form_class = forms.TeamForm
    filterset_class = filters.TeamFilterSet
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
    filterset_class = filters.TeamMembershipFilterSet
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
        "member.real_name": _("姓名"),
        "member.organisation": _("工作单位"),
        "team": _("服务队"),
        "team.community": _("所属社区"),
        "get_state_display": _("状态"),
        "created_at": _("申请时间"),
    }
    inspect_view_fields = ["member", "team", "state", "created_at", "state_changed_at"]
    services = {
        "approve": lambda o, by, d: menu_services.team_join_approve(
            membership=o, by=by, note=_reason(d)
        ),
        "decline": lambda o, by, d: menu_services.team_join_decline(
            membership=o, by=by, reason=_reason(d)
        ),
        "leave": lambda o, by, d: menu_services.team_leave(membership=o, by=by, reason=_reason(d)),
    }
    reason_labels = {"decline": _("不同意的理由")}


class PostViewSet(ScopedModelViewSet):
    model = Post
    icon = "pick"
    menu_label = _("服务岗位")
    form_class = forms.PostForm
    filterset_class = filters.PostFilterSet
    search_fields = ["title", "description"]
    list_select_related = ("community",)
    list_display = [
        "title",
        "community",
        Column("pledge_count", label=_("有效承诺"), sort_key="pledge_count"),
    ]
    list_export = ["title", "community", "description", "pledge_count"]
    export_headings = {
        "title": _("岗位名称"),
        "community": _("社区"),
        "description": _("岗位职责"),
        "pledge_count": _("有效承诺"),
    }
    inspect_view_fields = ["title", "community", "description"]

    def annotate(self, request, queryset):
        live = Q(pledges__state__in=menu_services.ACTIVE_PLEDGE_STATES)
        return queryset.annotate(pledge_count=Count("pledges", filter=live))

    def row_links(self, request, obj):
        return [(_("承诺"), pledges_viewset.index_url_with(post=obj.pk))]


class PostPledgeViewSet(ScopedModelViewSet):
    model = PostPledge
    icon = "form"
    menu_label = _("领岗承诺")
    workflow = PLEDGE_WORKFLOW
    filterset_class = filters.PostPledgeFilterSet
    search_fields = ["member__real_name", "post__title", "commitment"]
    list_select_related = ("member__organisation", "post__community")
    list_display = [
        "member",
        "post",
        Column("post.community", label=_("社区"), sort_key="post__community"),
        "starts_on",
        "ends_on",
        "state",
    ]
    list_export = [
        "member.real_name",
        "member.organisation",
        "post",
        "post.community",
        "commitment",
        "starts_on",
        "ends_on",
        "get_state_display",
        "created_at",
    ]
    export_headings = {
        "member.real_name": _("姓名"),
        "member.organisation": _("工作单位"),
        "post": _("服务岗位"),
        "post.community": _("社区"),
        "commitment": _("承诺内容"),
        "starts_on": _("开始日期"),
        "ends_on": _("结束日期"),
        "get_state_display": _("状态"),
        "created_at": _("承诺时间"),
    }
    inspect_view_fields = [
        "member",
        "post",
        "commitment",
        "starts_on",
        "ends_on",
        "state",
        "created_at",
        "state_changed_at",
    ]
    services = {
        "accept": lambda o, by, d: menu_services.pledge_accept(pledge=o, by=by, note=_reason(d)),
        "decline": lambda o, by, d: menu_services.pledge_decline(
            pledge=o, by=by, reason=_reason(d)
        ),
        "withdraw": lambda o, by, d: menu_services.pledge_withdraw(
            pledge=o, by=by, reason=_reason(d)
        ),
        "fulfil": lambda o, by, d: menu_services.pledge_fulfil(pledge=o, by=by, note=_reason(d)),
    }
    reason_labels = {"decline": _("不接受的理由")}


# --- Activities -----------------------------------------------------------------------------


def _mark_attended(obj, by, data):
    return signup_services.signup_mark_attendance(
        signup=obj, by=by, attended=True, hours=data.get("hours")
    )


class SignUpViewSet(ScopedModelViewSet):
    model = SignUp
    icon = "date"
    menu_label = _("活动报名")
    workflow = SIGNUP_WORKFLOW
    filterset_class = filters.SignUpFilterSet
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
        "member.real_name": _("姓名"),
        "member.organisation": _("工作单位"),
        "activity": _("活动"),
        "community": _("社区"),
        "activity.starts_at": _("活动开始时间"),
        "get_state_display": _("状态"),
        "checked_in_at": _("签到时间"),
        "hours": _("服务时长（小时）"),
        "created_at": _("报名时间"),
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
    attendance_actions = frozenset({"mark_attended", "set_hours"})
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
        """Each activity's community (its parent page) in one query, for the community column
        and for the workflow's "is this user staff of the activity's community" test."""
        activities = [row.activity for row in rows]
        parent_paths = {a.path[: -a.steplen] for a in activities}
        parents = {p.path: p for p in Page.objects.filter(path__in=parent_paths)}
        for activity in activities:
            activity._cached_parent_obj = parents.get(activity.path[: -activity.steplen])

    def extra_actions(self, user, obj):
        """Correcting the hours of an attended sign-up (not a change of state)."""
        may_mark = SIGNUP_WORKFLOW.by_name["mark_attended"].allowed(user, obj)
        if obj.state == SignUp.State.ATTENDED and may_mark:
            return [self._offered("set_hours", _("修改服务时长"), "secondary", False)]
        return []


# --- Vocabularies (the city) ----------------------------------------------------------------


class SkillViewSet(ScopedModelViewSet):
    model = Skill
    icon = "tag"
    menu_label = _("技能特长")
    form_class = forms.SkillForm
    search_fields = ["name", "description"]
    list_display = [
        "name",
        "description",
        Column("member_count", label=_("党员人数"), sort_key="member_count"),
    ]
    list_export = ["name", "description", "member_count"]
    export_headings = {"name": _("名称"), "description": _("说明"), "member_count": _("党员人数")}
    inspect_view_fields = ["name", "description"]

    def annotate(self, request, queryset):
        return queryset.annotate(member_count=Count("members"))


class ThemeViewSet(ScopedModelViewSet):
    model = Theme
    icon = "calendar-check"
    menu_label = _("主题活动")
    form_class = forms.ThemeForm
    search_fields = ["title", "slogan"]
    list_display = [
        "title",
        "slogan",
        Column("activity_count", label=_("活动数"), sort_key="activity_count"),
    ]
    list_export = ["title", "slogan", "description", "activity_count"]
    export_headings = {
        "title": _("主题"),
        "slogan": _("口号"),
        "description": _("说明"),
        "activity_count": _("活动数"),
    }
    inspect_view_fields = ["title", "slogan", "description"]

    def annotate(self, request, queryset):
        return queryset.annotate(activity_count=Count("activities"))


organisations_viewset = OrganisationViewSet()
members_viewset = MemberViewSet()
reports_viewset = ReportViewSet()
needs_viewset = NeedViewSet()
claims_viewset = NeedClaimViewSet()
teams_viewset = TeamViewSet()
memberships_viewset = TeamMembershipViewSet()
posts_viewset = PostViewSet()
pledges_viewset = PostPledgeViewSet()
signups_viewset = SignUpViewSet()
skills_viewset = SkillViewSet()
themes_viewset = ThemeViewSet()

VIEWSETS = {
    viewset.model: viewset
    for viewset in (
        organisations_viewset,
        members_viewset,
        reports_viewset,
        needs_viewset,
        claims_viewset,
        teams_viewset,
        memberships_viewset,
        posts_viewset,
        pledges_viewset,
        signups_viewset,
        skills_viewset,
        themes_viewset,
    )
}


class VolunteeringViewSetGroup(ModelViewSetGroup):
    menu_label = _("志愿服务")
    menu_icon = "group"
    menu_order = 150
    items = tuple(VIEWSETS.values())
