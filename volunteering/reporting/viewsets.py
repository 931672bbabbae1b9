"""The admin of members (在职党员: with the import and their report status) and of reports (报到)
with their workflow actions; the dashboard queues of reports to confirm and of an organisation's
members who have not reported."""

from django.db.models import Case, F, Q, Value, When
from django.db.models import CharField as CharFieldType
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import log

from volunteering import scopes
from volunteering.accounts import admin_views as invitations
from volunteering.accounts import selectors as account_selectors
from volunteering.admin.dashboard import AwaitingItem, state_queue
from volunteering.admin.policy import (
    EDIT,
    VIEW,
    Scope,
    managed_organisation_ids,
    members_reported_to,
    phone_visible_condition,
    register_scopes,
)
from volunteering.admin.viewsets import VIEWSETS, ScopedModelViewSet, _reason
from volunteering.people import import_views as imports
from volunteering.people.forms import MemberForm
from volunteering.people.models import Member
from volunteering.people.selectors import may_print_service_file
from volunteering.people.services import member_create
from volunteering.reporting import services as report_services
from volunteering.reporting.filters import MemberFilterSet, ReportFilterSet
from volunteering.reporting.models import Report
from volunteering.reporting.workflows import REPORT_WORKFLOW

register_scopes(
    {
        Member: Scope(
            staff=VIEW,
            organisation=EDIT,
            by_community=members_reported_to,
            by_organisation=lambda ids: Q(organisation_id__in=ids),
        ),
    }
)


class MemberViewSet(ScopedModelViewSet):
    model = Member
    icon = "user"
    menu_label = _("在职党员")
    form_class = MemberForm
    filterset_class = MemberFilterSet
    search_fields = ["real_name", "user__username"]
    list_select_related = ("user", "organisation", "residence_community")
    # Grouped by organisation as the model orders them, along the index member_org_name: the
    # model's order (by the organisation's name) sorted all 29,000 members of the city, with
    # each one's account status computed, for every page of 30.
    list_ordering = ("organisation_id", "real_name", "pk")
    list_display = [
        "real_name",
        Column("user.username", label=_("用户名")),
        "organisation",
        "residence_community",
        Column("visible_phone", label=_("手机号")),
        Column(
            "activation",
            label=_("账号状态"),
            accessor=lambda m: account_selectors.ACTIVATION_LABELS.get(m.activation, ""),
            sort_key="activation",
        ),
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
        "real_name": _("姓名"),
        "other_skills": _("其他特长"),
        "created_at": _("创建时间"),
        "organisation": _("工作单位"),
        "residence_community": _("居住地社区"),
        "user.username": _("用户名"),
        "visible_phone": _("手机号"),
        "skills_text": _("技能特长"),
        "reported_communities": _("已确认报到的社区"),
    }
    export_values = {
        "skills_text": lambda m: "、".join(s.name for s in m.skills.all()),
        "reported_communities": lambda m: "、".join(
            r.community.title for r in m.reports.all() if r.state == r.State.CONFIRMED
        ),
    }
    export_prefetch_related = ("skills", "reports__community")
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
        """The phone as a column only where the user may see it (else empty); whether the
        member has activated their account (已激活 / 已邀请 / 未激活)."""
        return queryset.annotate(
            visible_phone=Case(
                When(phone_visible_condition(request.user), then=F("phone")),
                default=Value(""),
                output_field=CharFieldType(),
            ),
            activation=account_selectors.activation_status(),
        )

    def row_links(self, request, obj):
        if getattr(obj, "activation", account_selectors.ACTIVE) == account_selectors.ACTIVE:
            return []
        return [(_("发送激活邀请"), self.invite_url(obj))]

    def invite_url(self, obj=None, **params) -> str:
        if obj is not None:
            return reverse(self.get_url_name("invite"), args=[obj.pk])
        url = reverse(self.get_url_name("invite_all"))
        return f"{url}?{urlencode(params)}" if params else url

    def inspect_fields(self, request, obj):
        fields = list(self.inspect_view_fields)
        if not scopes.can_see_member_phone(request.user, obj):
            fields.remove("phone")
        return fields

    def inspect_extra(self, request, obj) -> dict:
        extra = {}
        if account_selectors.may_invite(request.user, obj):
            extra["invite_url"] = self.invite_url(obj)
        # The printable service file (服务档案), for those it is open to.
        if may_print_service_file(request.user, obj):
            extra["print_url"] = reverse("service:service_file_print", args=[obj.pk])
        return extra

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

    def import_done_buttons(self, request, organisation) -> list:
        """After an import: the way to invite the organisation's members not yet activated."""
        if not account_selectors.may_invite_anyone(request.user):
            return []
        url = self.invite_url(organisation=organisation.pk)
        return [messages.button(url, _("邀请未激活的党员"))]

    def index_header_buttons(self, request):
        buttons = []
        if self.can_import(request):
            buttons.append(HeaderButton(_("批量导入"), url=self.import_url(), icon_name="upload"))
        if account_selectors.may_invite_anyone(request.user):
            wanted = request.GET.get("organisation", "")
            params = {"organisation": wanted} if wanted.isdigit() else {}
            buttons.append(
                HeaderButton(_("邀请未激活的党员"), url=self.invite_url(**params), icon_name="mail")
            )
        return buttons

    def get_urlpatterns(self):
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
            path("invite/", invitations.InviteAllView.as_view(viewset=self), name="invite_all"),
            path(
                "<int:pk>/invite/",
                invitations.InviteMemberView.as_view(viewset=self),
                name="invite",
            ),
        ]


members_viewset = MemberViewSet()


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


def not_invited_queue(user) -> AwaitingItem | None:
    """An organisation's members who cannot sign in yet and have no open invitation: the
    organisation's admin invites them (the list's 邀请未激活的党员)."""
    organisation_ids = managed_organisation_ids(user)
    if not organisation_ids:
        return None
    count = Member.objects.filter(
        organisation_id__in=organisation_ids,
        pk__in=account_selectors.not_activated_uninvited(),
    ).count()
    url = VIEWSETS[Member].index_url_with(account=account_selectors.INACTIVE)
    return AwaitingItem(str(_("本单位未激活账号的党员")), count, url)
