"""Filters of the volunteering admin lists (django-filter, through Wagtail's FilterSet).

Choice lists are scoped like everything else, by one rule (`volunteering.scopes`
`communities_in_view_of` / `organisations_in_view_of`) used by every community and
organisation filter through `community_choices` / `organisation_choices`: staff pick among their
own communities and the organisations linked or reported to them, organisation admins among
their own organisations and the communities they are linked or reported to, and only the city
among all (256 communities, 1,476 organisations at city scale), which it picks through
searchable choosers instead of selects."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.widgets import AdminPageChooser

from volunteering import scopes
from volunteering.admin.choosers import organisation_chooser
from volunteering.admin.policy import scoped_queryset
from volunteering.communities.models import CommunityPage
from volunteering.people.models import Organisation


def community_choices(request):
    """The communities a filter offers: those the user's lists are about
    (`scopes.communities_in_view_of`: all for the city, their own for staff)."""
    user = request.user if request else None
    if user is None:
        return CommunityPage.objects.none()
    return scopes.communities_in_view_of(user).order_by("path").only("title", "path")


def organisation_choices(request):
    """The organisations a filter offers: those the user's lists are about
    (`scopes.organisations_in_view_of`: all for the city, their own for organisation admins,
    those linked or reported to their communities for staff)."""
    user = request.user if request else None
    if user is None:
        return Organisation.objects.none()
    return scopes.organisations_in_view_of(user).order_by("name").only("name")


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


class CommunityFilter(django_filters.ModelChoiceFilter):
    """One community, among `community_choices`: a select for staff and organisation admins (a
    few options), Wagtail's page chooser for the city (every community: 256 at city scale, too
    many to render on every list; the chooser browses county by county, and searches)."""

    @property
    def field(self):
        if not hasattr(self, "_field"):
            request = getattr(self.parent, "request", None)
            if request is not None and scopes.is_city_admin(request.user):
                chooser = AdminPageChooser(target_models=[CommunityPage])
                # Set after construction: Wagtail appends the model's name to a given text.
                chooser.choose_one_text = _("选择社区")
                chooser.choose_another_text = _("另选社区")
                self.extra["widget"] = chooser
        return super().field


def _community(field_name, label=COMMUNITY):
    return CommunityFilter(field_name=field_name, label=label, queryset=community_choices)


class OrganisationFilter(django_filters.ModelChoiceFilter):
    """One organisation, among `organisation_choices`: a select for staff and organisation
    admins (a few options), the searchable organisation chooser for the city (every
    organisation: 1,476 at city scale, too many to render on every list)."""

    @property
    def field(self):
        if not hasattr(self, "_field"):
            request = getattr(self.parent, "request", None)
            if request is not None and scopes.is_city_admin(request.user):
                self.extra["widget"] = organisation_chooser.widget_class()
        return super().field


def _organisation(field_name, label=ORGANISATION):
    return OrganisationFilter(field_name=field_name, label=label, queryset=organisation_choices)


def _state(model):
    return django_filters.ChoiceFilter(
        field_name="state", label=_("状态"), choices=model.State.choices, empty_label=_("全部")
    )
