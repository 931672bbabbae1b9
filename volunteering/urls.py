"""Members' pages on the public site: "my service" under /my/, the service menu under
/service/, residents' feedback under /feedback/. Included from portal.urls under the namespace
"service"; each capability's views serve their own paths. Public notices (信/通知 made public
for the bulletin board) under /notices/."""

from django.urls import path

from portal.page_cache import public
from volunteering.letters import views as letters
from volunteering.menu import views as menu
from volunteering.people import views as people
from volunteering.points import views as points
from volunteering.privacy import views as privacy
from volunteering.records import views as records
from volunteering.reporting import views as reporting
from volunteering.teams import views as teams
from volunteering.voice import views as voice

app_name = "service"

urlpatterns = [
    path("my/", records.my_service_view, name="my_service"),
    path("my/profile/", people.member_profile, name="member_profile"),
    path("my/history/<slug:kind>/<int:pk>/", records.my_history, name="my_history"),
    path("my/points/", points.my_points, name="my_points"),
    path("my/letters/", letters.letter_inbox, name="letter_inbox"),
    path("my/letters/<int:pk>/", letters.letter_detail, name="letter_detail"),
    path("my/data/", privacy.my_data, name="my_data"),
    path("my/data/download/", privacy.my_data_download, name="my_data_download"),
    path("my/closure/", privacy.closure_request, name="closure_request"),
    path("my/closure/<int:pk>/withdraw/", privacy.closure_withdraw, name="closure_withdraw"),
    path("my/reports/<int:pk>/withdraw/", reporting.report_withdraw, name="report_withdraw"),
    path("my/claims/<int:pk>/withdraw/", menu.claim_withdraw, name="claim_withdraw"),
    path("my/pledges/<int:pk>/withdraw/", menu.pledge_withdraw, name="pledge_withdraw"),
    path("my/teams/<int:pk>/leave/", teams.team_leave, name="team_leave"),
    path("service/communities/<int:pk>/report/", reporting.report_create, name="report_create"),
    path("service/rankings/", public(points.rankings_index), name="rankings"),
    path(
        "service/communities/<int:pk>/ranking/",
        public(points.community_ranking_view),
        name="community_ranking",
    ),
    path(
        "service/organisations/<int:pk>/ranking/",
        public(points.organisation_ranking_view),
        name="organisation_ranking",
    ),
    path(
        "service/members/<int:pk>/service-file/print/",
        records.service_file_print,
        name="service_file_print",
    ),
    path(
        "service/communities/<int:pk>/handbook/print/",
        records.contact_handbook_print,
        name="contact_handbook_print",
    ),
    path("service/needs/<int:pk>/", public(menu.need_detail), name="need_detail"),
    path("service/needs/<int:pk>/claim/", menu.claim_create, name="claim_create"),
    path("service/posts/<int:pk>/", public(menu.post_detail), name="post_detail"),
    path("service/teams/<int:pk>/", public(teams.team_detail), name="team_detail"),
    path("service/teams/<int:pk>/join/", teams.team_join, name="team_join"),
    path(
        "service/team-requests/<int:pk>/approve/",
        teams.team_join_approve,
        name="team_join_approve",
    ),
    path(
        "service/team-requests/<int:pk>/decline/",
        teams.team_join_decline,
        name="team_join_decline",
    ),
    path("notices/<int:pk>/", letters.notice_detail, name="notice_detail"),
    path("feedback/", public(voice.feedback_choose), name="feedback_choose"),
    path("feedback/communities/<int:pk>/", public(voice.feedback_create), name="feedback_create"),
    path("feedback/receipt/", voice.feedback_receipt, name="feedback_receipt"),
    path("feedback/status/", voice.feedback_status, name="feedback_status"),
]
