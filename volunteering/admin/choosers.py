"""The organisation chooser: a searchable modal (Wagtail's ChooserViewSet) for lists too long
for a select. At city scale the city has 1,476 organisations: its admin list filters pick one
through this chooser (`admin/filters.py`) instead of rendering 1,476 options on every list.
What it offers is `scopes.organisations_in_view_of` for the user asking, like every filter."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet

from volunteering import scopes


class NameSearchForm(BaseFilterForm):
    q = forms.CharField(
        label=_("名称"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("输入单位名称的一部分")}),
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            self.is_searching = True
            self.search_query = query
            objects = objects.filter(name__icontains=query)
        return objects


class ScopedObjects:
    filter_form_class = NameSearchForm

    def get_object_list(self):
        return scopes.organisations_in_view_of(self.request.user).order_by("name")


class ChooseView(ScopedObjects, chooser_views.ChooseView):
    pass


class ChooseResultsView(ScopedObjects, chooser_views.ChooseResultsView):
    pass


class OrganisationChooserViewSet(ChooserViewSet):
    model = "volunteering.Organisation"  # by name: the admin kit imports no capability's models
    icon = "group"
    choose_one_text = _("选择单位")
    choose_another_text = _("另选单位")
    per_page = 20
    register_widget = False  # the admin forms keep their scoped selects
    choose_view_class = ChooseView
    choose_results_view_class = ChooseResultsView


organisation_chooser = OrganisationChooserViewSet("volunteering_organisation_chooser")
