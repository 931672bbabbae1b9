"""Members' pages on the public site: "my service" under /my/, the service menu under
/service/. Included from portal.urls under the namespace "service"."""

from django.urls import path

from volunteering import views, views_points, views_print, views_voice

app_name = "service"

urlpatterns = [
    path("my/", views.my_service_view, name="my_service"),
    path("my/profile/", views.member_profile, name="member_profile"),
    path("my/history/<slug:kind>/<int:pk>/", views.my_history, name="my_history"),
    path("my/points/", views_points.my_points, name="my_points"),
    path("my/reports/<int:pk>/withdraw/", views.report_withdraw, name="report_withdraw"),
    path("my/claims/<int:pk>/withdraw/", views.claim_withdraw, name="claim_withdraw"),
    path("my/pledges/<int:pk>/withdraw/", views.pledge_withdraw, name="pledge_withdraw"),
    path("my/teams/<int:pk>/leave/", views.team_leave, name="team_leave"),
    path("service/communities/<int:pk>/report/", views.report_create, name="report_create"),
    path(
        "service/communities/<int:pk>/ranking/",
        views_points.community_ranking_view,
        name="community_ranking",
    ),
    path(
        "service/organisations/<int:pk>/ranking/",
        views_points.organisation_ranking_view,
        name="organisation_ranking",
    ),
    path(
        "service/members/<int:pk>/service-file/print/",
        views_print.service_file_print,
        name="service_file_print",
    ),
    path(
        "service/communities/<int:pk>/handbook/print/",
        views_print.contact_handbook_print,
        name="contact_handbook_print",
    ),
    path("service/needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("service/needs/<int:pk>/claim/", views.claim_create, name="claim_create"),
    path("service/posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("service/teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("service/teams/<int:pk>/join/", views.team_join, name="team_join"),
    path(
        "service/team-requests/<int:pk>/approve/",
        views.team_join_approve,
        name="team_join_approve",
    ),
    path(
        "service/team-requests/<int:pk>/decline/",
        views.team_join_decline,
        name="team_join_decline",
    ),
    path(
        "feedback/communities/<int:pk>/",
        views_voice.feedback_create,
        name="feedback_create",
    ),
    path("feedback/receipt/", views_voice.feedback_receipt, name="feedback_receipt"),
    path("feedback/status/", views_voice.feedback_status, name="feedback_status"),
]
