"""The filters of the sign-ups' admin list (an activity's community is its parent page)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from volunteering.admin.filters import (
    CommunityFilter,
    _date_range,
    _organisation,
    _state,
    community_choices,
)
from volunteering.admin.policy import (
    activities_under,
)
from volunteering.signups.models import SignUp


class SignUpFilterSet(WagtailFilterSet):
    # The community filter every list shares (a chooser for the city: 256 options rendered on
    # every page of the list cost more than the list), filtering by the activities' path.
    community = CommunityFilter(
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
