"""The admin of dedication points (积分管理): the ledger, the rules, the staff rankings.

The ledger has no edit or delete view at all (their URLs are not registered): an entry is put
right by a correction, a new entry with a reason, which staff of the entry's community or the
city add through the correction form. Rules are the city's: a change is a new rule with the date
it applies from. Staff rankings show everyone, including members who asked not to appear in the
public rankings (marked as such). The policies are registered here, before the viewsets exist."""

from django import forms as django_forms
from django.db.models import Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.auth import require_admin_access
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import log

from volunteering import scopes
from volunteering.admin.filters import _community
from volunteering.admin.forms import ScopedAdminForm
from volunteering.admin.policy import (
    VIEW,
    Scope,
    members_reported_to,
    register_scopes,
)
from volunteering.admin.views import ScopedCreateView
from volunteering.admin.viewsets import ScopedModelViewSet
from volunteering.people.models import Member
from volunteering.points.models import PointEntry, PointRule
from volunteering.points.selectors import community_ranking, organisation_ranking
from volunteering.points.services import point_correction_create

ADD_AND_VIEW = frozenset({"add", "view"})
POINT_SCOPES = {
    PointEntry: Scope(
        city=ADD_AND_VIEW,
        staff=ADD_AND_VIEW,
        organisation=VIEW,
        by_community=lambda ids: Q(community_id__in=ids),
        by_organisation=lambda ids: Q(member__organisation_id__in=ids),
    ),
    PointRule: Scope(city=frozenset({"add", "change", "view"})),
}
register_scopes(POINT_SCOPES)


class PointCorrectionForm(ScopedAdminForm):
    """A correction (人工更正): a member of one of the user's communities, an amount (negative
    to deduct) and the reason, which the member reads on their points page."""

    class Meta:
        model = PointEntry
        fields = ["community", "member", "amount", "reason"]
        help_texts = {"amount": _("扣减请填负数。"), "reason": _("党员本人可以看到这条原因。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = True
        if self.for_user is not None:
            ids = scopes.managed_community_ids(self.for_user)
            self.fields["member"].queryset = (
                Member.objects.filter(members_reported_to(ids))
                .select_related("organisation")
                .order_by("real_name")
            )


class PointEntryFilterSet(WagtailFilterSet):
    community = _community("community")

    class Meta:
        model = PointEntry
        fields = ["kind"]


class PointCorrectionCreateView(ScopedCreateView):
    """After adding a correction there is nothing to edit: back to the ledger."""

    def get_success_buttons(self):
        return [messages.button(self.get_inspect_url(), _("查看"))]

    def get_inspect_url(self):
        return self.viewset.object_url(self.request, self.object)

    def get_edit_url(self):
        return None


class PointEntryViewSet(ScopedModelViewSet):
    model = PointEntry
    add_view_class = PointCorrectionCreateView
    icon = "pick"
    menu_label = _("积分记录")
    form_class = PointCorrectionForm
    filterset_class = PointEntryFilterSet
    search_fields = ["member__real_name", "reason"]
    list_select_related = ("member", "community", "rule")
    list_display = [
        Column("member", label=_("在职党员"), accessor="member"),
        "amount",
        "kind",
        Column("reason", label=_("原因"), accessor="reason_text"),
        "community",
        "earned_at",
        "created_at",
    ]
    list_export = ["member", "community", "amount", "get_kind_display", "reason_text", "earned_at"]
    export_headings = {
        "amount": _("积分"),
        "reason_text": _("原因"),
        "earned_at": _("发生时间"),
        "member": _("在职党员"),
        "community": _("社区"),
        "get_kind_display": _("类型"),
    }
    inspect_view_fields = [
        "member",
        "community",
        "amount",
        "kind",
        "rule",
        "reason",
        "earned_at",
        "created_at",
        "created_by",
    ]

    def get_common_view_kwargs(self, **kwargs):
        """No view links to the edit and delete views the ledger does not have (a history page
        reversing the edit URL was a 500)."""
        return super().get_common_view_kwargs(
            **{"edit_url_name": None, "delete_url_name": None, **kwargs}
        )

    def get_urlpatterns(self):
        """No edit and no delete: the ledger is append-only."""
        return [
            pattern
            for pattern in super().get_urlpatterns()
            if getattr(pattern, "name", "") not in {"edit", "delete"}
        ] + [path("ranking/", self.ranking_view, name="ranking")]

    @property
    def ranking_view(self):
        return require_admin_access(StaffRankingView.as_view())

    def object_url(self, request, obj) -> str:
        return reverse(self.get_url_name("inspect"), args=(obj.pk,))

    def index_header_buttons(self, request) -> list:
        return [
            HeaderButton(
                _("积分排行"), url=reverse(self.get_url_name("ranking")), icon_name="list-ol"
            )
        ]

    def create_instance(self, request, form):
        data = form.cleaned_data
        entry = point_correction_create(
            member=data["member"],
            community=data["community"],
            amount=data["amount"],
            reason=data["reason"],
            by=request.user,
        )
        log(entry, "wagtail.create", user=request.user)
        return entry


RANKING_NEEDS_ONE = _("请选择一个社区或一个单位。")


class StaffRankingForm(django_forms.Form):
    """A community the user is staff of, or an organisation they administer (the city: any)."""

    community = django_forms.ModelChoiceField(label=_("社区"), queryset=None, required=False)
    organisation = django_forms.ModelChoiceField(label=_("单位"), queryset=None, required=False)

    def __init__(self, data=None, *, user):
        super().__init__(data)
        self.fields["community"].queryset = scopes.communities_managed_by(user).order_by("path")
        self.fields["organisation"].queryset = scopes.organisations_managed_by(user)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and bool(cleaned.get("community")) == bool(cleaned.get("organisation")):
            raise django_forms.ValidationError(RANKING_NEEDS_ONE)
        return cleaned

    def ranking(self) -> list:
        if community := self.cleaned_data.get("community"):
            return community_ranking(community, public=False, limit=100)
        return organisation_ranking(self.cleaned_data["organisation"], public=False, limit=100)


class StaffRankingView(WagtailAdminTemplateMixin, TemplateView):
    """The ranking of a community or organisation the user manages, everyone included
    (members who opted out of the public rankings are marked)."""

    template_name = "volunteering/points/staff_ranking.html"
    page_title = _("积分排行")
    header_icon = "list-ol"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": point_entries_viewset.index_url, "label": _("积分记录")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = StaffRankingForm(self.request.GET or None, user=self.request.user)
        rows = form.ranking() if form.is_valid() else []
        context.update({"form": form, "rows": rows})
        return context


class PointRuleViewSet(ScopedModelViewSet):
    model = PointRule
    icon = "cog"
    menu_label = _("积分规则")
    list_display = ["key", "amount", "valid_from", "note"]
    inspect_view_fields = ["key", "amount", "valid_from", "note"]

    def get_form_class(self, for_update=False):
        from wagtail.admin.forms import WagtailAdminModelForm

        class PointRuleForm(WagtailAdminModelForm):
            class Meta:
                model = PointRule
                fields = ["key", "amount", "valid_from", "note"]

        return PointRuleForm


point_entries_viewset = PointEntryViewSet()
point_rules_viewset = PointRuleViewSet()


class PointsViewSetGroup(ModelViewSetGroup):
    menu_label = _("奉献积分")
    menu_icon = "pick"
    menu_order = 152
    items = (point_entries_viewset, point_rules_viewset)
