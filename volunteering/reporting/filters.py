import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from volunteering.admin.filters import _community, _date_range, _organisation, _state
from volunteering.reporting.models import Report


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
