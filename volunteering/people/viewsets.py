"""The admin of organisations (单位) and skills (技能特长). Members are administered with their
report status, in `volunteering.reporting.viewsets`."""

from django.contrib.auth.models import Permission
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column

from volunteering.admin.policy import (
    Scope,
    register_scopes,
)
from volunteering.admin.viewsets import VIEWSETS, ScopedModelViewSet
from volunteering.people.filters import OrganisationFilterSet
from volunteering.people.forms import OrganisationForm, SkillForm
from volunteering.people.models import Member, Organisation, Skill

register_scopes(
    {
        Organisation: Scope(
            organisation=frozenset({"change", "view"}),
            by_organisation=lambda ids: Q(pk__in=ids),
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
            (_("党员"), VIEWSETS[Member].index_url_with(organisation=obj.pk)),
            (_("导入党员"), VIEWSETS[Member].import_url(organisation=obj.pk)),
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


skills_viewset = SkillViewSet()
