from django.contrib.auth.models import Permission
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models import CharField as CharFieldType
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import log

from volunteering import scopes
from volunteering.admin.policy import (
    EDIT,
    VIEW,
    Scope,
    managed_organisation_ids,
    members_reported_to,
    phone_visible_condition,
    register_scopes,
)
from volunteering.admin.viewsets import ScopedModelViewSet
from volunteering.people import import_views as imports
from volunteering.people.filters import MemberFilterSet, OrganisationFilterSet
from volunteering.people.forms import MemberForm, OrganisationForm, SkillForm
from volunteering.people.models import Member, Organisation, Skill
from volunteering.people.selectors import may_print_service_file
from volunteering.people.services import member_create

register_scopes(
    {
        Organisation: Scope(
            organisation=frozenset({"change", "view"}),
            by_organisation=lambda ids: Q(pk__in=ids),
        ),
        Member: Scope(
            staff=VIEW,
            organisation=EDIT,
            by_community=members_reported_to,
            by_organisation=lambda ids: Q(organisation_id__in=ids),
        ),
        Skill: Scope(),
    }
)


class OrganisationViewSet(ScopedModelViewSet):
    model = Organisation
    icon = "site"
    menu_label = _("单位")
    form_class = OrganisationForm
    filterset_class = OrganisationFilterSet
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
        "address": _("地址"),
        "county": _("所在县（市、区）"),
        "linked_community": _("挂钩联系社区"),
        "get_kind_display": _("类型"),
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
    form_class = MemberForm
    filterset_class = MemberFilterSet
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
        # The printable service file (服务档案), for those it is open to.
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


class SkillViewSet(ScopedModelViewSet):
    model = Skill
    icon = "tag"
    menu_label = _("技能特长")
    form_class = SkillForm
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


organisations_viewset = OrganisationViewSet()
members_viewset = MemberViewSet()
skills_viewset = SkillViewSet()
