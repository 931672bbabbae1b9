"""Filters of the volunteering admin lists (django-filter, through Wagtail's FilterSet).

Choice lists are scoped like everything else: staff pick among their own communities, and
organisation admins among their own organisations."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget

from volunteering import scopes
from volunteering.admin.policy import (
    managed_organisation_ids,
    scoped_queryset,
    staff_community_ids,
)
from volunteering.communities.models import CommunityPage
from volunteering.people.models import Organisation


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
