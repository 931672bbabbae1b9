"""The admin URLs of two-way management and its 考核评定 submenu (年度考核, 考核结果, 报到率,
示范点), each item shown only to those who may use it."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from volunteering import scopes
from volunteering.assessment.rate_views import DemonstrationView, NonReportersView, ReportRateView
from volunteering.assessment.views import (
    AssessmentEditView,
    AssessmentIndexView,
    AssessmentResultsView,
    assessment_reopen_view,
)


def admin_urls():
    return [
        path("assessment/", AssessmentIndexView.as_view(), name="volunteering_assessment_index"),
        path(
            "assessment/<int:community_id>/<int:year>/<int:member_id>/",
            AssessmentEditView.as_view(),
            name="volunteering_assessment_edit",
        ),
        path(
            "assessment/<int:pk>/reopen/",
            assessment_reopen_view,
            name="volunteering_assessment_reopen",
        ),
        path(
            "assessment/results/",
            AssessmentResultsView.as_view(),
            name="volunteering_assessment_results",
        ),
        path("report-rates/", ReportRateView.as_view(), name="volunteering_report_rates"),
        path(
            "report-rates/<int:pk>/<int:year>/",
            NonReportersView.as_view(),
            name="volunteering_report_rate_detail",
        ),
        path("demonstrations/", DemonstrationView.as_view(), name="volunteering_demonstrations"),
    ]


class ScopedMenuItem(MenuItem):
    def __init__(self, *args, shown, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown = shown

    def is_shown(self, request):
        return self.shown(request.user)


# Asked on every admin page (the menu is built twice, for the sidebar and its search): the
# answers come from what the user object caches, never a query of their own.
def _manages_communities(user) -> bool:
    return scopes.is_city_admin(user) or bool(scopes.staff_community_ids(user))


_manages_organisations = scopes.manages_organisations


def assessment_menu_item() -> SubmenuMenuItem:
    items = [
        ScopedMenuItem(
            _("年度考核"),
            reverse("volunteering_assessment_index"),
            icon_name="tasks",
            order=10,
            shown=_manages_communities,
        ),
        ScopedMenuItem(
            _("考核结果"),
            reverse("volunteering_assessment_results"),
            icon_name="list-ul",
            order=20,
            shown=_manages_organisations,
        ),
        ScopedMenuItem(
            _("报到率"),
            reverse("volunteering_report_rates"),
            icon_name="table",
            order=30,
            shown=_manages_organisations,
        ),
        ScopedMenuItem(
            _("示范点"),
            reverse("volunteering_demonstrations"),
            icon_name="pick",
            order=40,
            shown=scopes.is_city_admin,
        ),
    ]
    return SubmenuMenuItem(_("考核评定"), Menu(items=items), icon_name="tasks", order=154)
