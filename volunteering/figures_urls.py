"""The public pages of the live figures, included from portal.urls under the namespace
"figures": the statistics page and the display screens."""

from django.urls import path

from volunteering import figures_views

app_name = "figures"

urlpatterns = [
    path("statistics/", figures_views.statistics, name="statistics"),
    path("screen/", figures_views.display_screen, name="screen"),
    path(
        "screen/community/<int:community_id>/",
        figures_views.display_screen,
        name="screen_community",
    ),
]
