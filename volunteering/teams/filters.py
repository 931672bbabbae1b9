"""Filters of the admin lists of teams and team memberships."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from volunteering.admin.filters import (
    _community,
    _date_range,
    _scoped_choices,
    _state,
)
from volunteering.people.models import Skill
from volunteering.teams.models import Team, TeamMembership


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
