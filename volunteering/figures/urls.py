"""The public page of the live figures, the statistics page, included from portal.urls under the
namespace "figures" beside portal's display screens (figures:screen, figures:screen_community)."""

from django.urls import path

from portal.page_cache import public
from volunteering.figures import views as figures_views

urlpatterns = [
    path("statistics/", public(figures_views.statistics), name="statistics"),
]
