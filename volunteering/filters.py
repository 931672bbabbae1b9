"""Filters of the volunteering admin lists (django-filter, through Wagtail's FilterSet).

Choice lists are scoped like everything else: staff pick among their own communities, and
organisation admins among their own organisations."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from volunteering import scopes
from volunteering.admin.policy import (
    activities_under,
    managed_organisation_ids,
    scoped_queryset,
    staff_community_ids,
)
from volunteering.models import (
    CommunityPage,
    CountyPage,
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
)


def community_choices(request):
    """Staff choose among their communities; the city and organisation admins among all."""
    user = request.user if request else None
    if user is None or scopes.is_city_admin(user):
        return CommunityPage.objects.order_by("path")
    ids = staff_community_ids(user)
    if ids and not managed_organisation_ids(user):
        return CommunityPage.objects.filter(pk__in=ids).order_by("path")
    return CommunityPage.objects.order_by("path")


def organisation_choices(request):
    """Organisation admins choose among their organisations; staff and the city among all."""
    user = request.user if request else None
    if user is None or scopes.is_city_admin(user) or staff_community_ids(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=managed_organisation_ids(user))


def _scoped_choices(model, *order_by):
    def choices(request):
        if request is None:
            return model.objects.none()
        return scoped_queryset(model, request.user).order_by(*order_by)

    return choices


def _date_range(field_name, label):
    return django_filters.DateFromToRangeFilter(
        field_name=field_name, label=label, widget=DateRangePickerWidget
    )


COMMUNITY = _("社区")
ORGANISATION = _("工作单位")


def _community(field_name, label=COMMUNITY):
    return django_filters.ModelChoiceFilter(
        field_name=field_name, label=label, queryset=community_choices
    )


def _organisation(field_name, label=ORGANISATION):
    return django_filters.ModelChoiceFilter(
        field_name=field_name, label=label, queryset=organisation_choices
    )


def _state(model):
    return django_filters.ChoiceFilter(
        field_name="state", label=_("状态"), choices=model.State.choices, empty_label=_("全部")
    )


class OrganisationFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("类型"), choices=Organisation.Kind.choices, empty_label=_("全部")
    )
    county = django_filters.ModelChoiceFilter(
        label=_("所在县（市、区）"), queryset=CountyPage.objects.order_by("path")
    )
    linked_community = _community("linked_community", _("挂钩联系社区"))

    class Meta:
        model = Organisation
        fields = []


class MemberFilterSet(WagtailFilterSet):
    REPORTED = "reported"
    PENDING = "pending"
    NOT_REPORTED = "none"

    organisation = _organisation("organisation")
    residence_community = _community("residence_community", _("居住地社区"))
    skills = django_filters.ModelChoiceFilter(label=_("技能特长"), queryset=Skill.objects.all())
    report_status = django_filters.ChoiceFilter(
        label=_("报到情况"),
        method="filter_report_status",
        empty_label=_("全部"),
        choices=[
            (REPORTED, _("已确认报到")),
            (PENDING, _("有待确认的报到")),
            (NOT_REPORTED, _("尚未报到")),
        ],
    )
    created_at = _date_range("created_at", _("创建时间"))

    class Meta:
        model = Member
        fields = []

    def filter_report_status(self, queryset, name, value):
        def reports(*states):
            return Exists(Report.objects.filter(member=OuterRef("pk"), state__in=states))

        if value == self.REPORTED:
            return queryset.filter(reports(Report.State.CONFIRMED))
        if value == self.PENDING:
            return queryset.filter(reports(Report.State.PENDING))
        if value == self.NOT_REPORTED:
            return queryset.exclude(reports(*Report.ACTIVE_STATES))
        return queryset


class ReportFilterSet(WagtailFilterSet):
    community = _community("community")
    state = _state(Report)
    kind = django_filters.ChoiceFilter(
        label=_("报到类型"), choices=Report.Kind.choices, empty_label=_("全部")
    )
    organisation = _organisation("member__organisation")
    created_at = _date_range("created_at", _("报到时间"))

    class Meta:
        model = Report
        fields = []


class NeedFilterSet(WagtailFilterSet):
    community = _community("community")
    state = _state(Need)
    skills = django_filters.ModelChoiceFilter(label=_("所需特长"), queryset=Skill.objects.all())
    starts_on = _date_range("starts_on", _("开始日期"))

    class Meta:
        model = Need
        fields = []


class NeedClaimFilterSet(WagtailFilterSet):
    need = django_filters.ModelChoiceFilter(
        label=_("服务需求"), queryset=_scoped_choices(Need, "-created_at")
    )
    community = _community("need__community")
    state = _state(NeedClaim)
    organisation = _organisation("member__organisation")
    created_at = _date_range("created_at", _("认领时间"))

    class Meta:
        model = NeedClaim
        fields = []


class TeamFilterSet(WagtailFilterSet):
    community = _community("community")
    expertise = django_filters.ModelChoiceFilter(label=_("专长"), queryset=Skill.objects.all())

    class Meta:
        model = Team
        fields = []


class TeamMembershipFilterSet(WagtailFilterSet):
    team = django_filters.ModelChoiceFilter(
        label=_("服务队"), queryset=_scoped_choices(Team, "name")
    )
    community = _community("team__community")
    state = _state(TeamMembership)
    created_at = _date_range("created_at", _("申请时间"))

    class Meta:
        model = TeamMembership
        fields = []


class PostFilterSet(WagtailFilterSet):
    community = _community("community")

    class Meta:
        model = Post
        fields = []


class PostPledgeFilterSet(WagtailFilterSet):
    post = django_filters.ModelChoiceFilter(
        label=_("服务岗位"), queryset=_scoped_choices(Post, "title")
    )
    community = _community("post__community")
    state = _state(PostPledge)
    starts_on = _date_range("starts_on", _("开始日期"))

    class Meta:
        model = PostPledge
        fields = []


class SignUpFilterSet(WagtailFilterSet):
    community = django_filters.ModelChoiceFilter(
        label=_("社区"), queryset=community_choices, method="filter_community"
    )
    state = _state(SignUp)
    organisation = _organisation("member__organisation")
    activity_date = _date_range("activity__starts_at", _("活动日期"))

    class Meta:
        model = SignUp
        fields = []

    def filter_community(self, queryset, name, value):
        return queryset.filter(activities_under([value.pk])) if value else queryset
