"""Filters of the admin lists of members (with their report status: reported, pending, not
reported) and of reports."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from volunteering.accounts import selectors as accounts
from volunteering.admin.filters import _community, _date_range, _organisation, _state
from volunteering.people.models import Member, Skill
from volunteering.reporting.models import Report


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
    account = django_filters.ChoiceFilter(
        label=_("账号状态"),
        method="filter_account",
        empty_label=_("全部"),
        choices=list(accounts.ACTIVATION_LABELS.items()),
    )
    created_at = _date_range("created_at", _("创建时间"))

    class Meta:
        model = Member
        fields = []

    def filter_account(self, queryset, name, value):
        if value == accounts.ACTIVE:
            return queryset.filter(accounts.HAS_PASSWORD)
        invited = accounts.open_invitation()
        if value == accounts.INVITED:
            return queryset.exclude(accounts.HAS_PASSWORD).filter(invited)
        if value == accounts.INACTIVE:
            return queryset.exclude(accounts.HAS_PASSWORD).exclude(invited)
        return queryset

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
