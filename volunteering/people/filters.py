"""The filters of the organisations' admin list."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from volunteering.admin.filters import _community
from volunteering.communities.models import CountyPage
from volunteering.people.models import Organisation


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
