"""Filters of the service menu's admin lists: needs, claims, posts and pledges."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from volunteering.admin.filters import (
    _community,
    _date_range,
    _organisation,
    _scoped_choices,
    _state,
)
from volunteering.menu.models import Need, NeedClaim, Post, PostPledge
from volunteering.people.models import Skill


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
