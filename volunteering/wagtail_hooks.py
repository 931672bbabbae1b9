"""The volunteering admin (志愿服务), assembled from the capabilities: each capability's
viewsets (which register their models' scoped permission policies when imported, before Wagtail
asks for one), its admin views and menu items, and what the dashboard counts."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSetGroup

from portal.sections import HOME_PAGE_SECTIONS
from volunteering.activities import viewsets as activities
from volunteering.admin.choosers import organisation_chooser
from volunteering.admin.dashboard import QUEUES_HOOK, AwaitingPanel
from volunteering.alerts.panels import StaffAlertsPanel
from volunteering.assessment import menu as assessment
from volunteering.communities import sections as communities_sections
from volunteering.communities.selectors import COMMUNITY_PAGE_SECTIONS
from volunteering.figures import sections as figures_sections
from volunteering.letters import sections as letter_sections
from volunteering.letters import services as letter_services
from volunteering.letters import viewsets as letters
from volunteering.menu import viewsets as menu
from volunteering.people import viewsets as people
from volunteering.points.viewsets import PointsViewSetGroup
from volunteering.privacy import viewsets as privacy
from volunteering.records import views as records
from volunteering.reporting import viewsets as reporting
from volunteering.signups import viewsets as signups
from volunteering.teams import viewsets as teams
from volunteering.voice import sections as voice_sections
from volunteering.voice import viewsets as voice


class VolunteeringViewSetGroup(ModelViewSetGroup):
    menu_label = _("志愿服务")
    menu_icon = "group"
    menu_order = 150
    items = (
        people.organisations_viewset,
        reporting.members_viewset,
        reporting.reports_viewset,
        menu.needs_viewset,
        menu.claims_viewset,
        teams.teams_viewset,
        teams.memberships_viewset,
        menu.posts_viewset,
        menu.pledges_viewset,
        signups.signups_viewset,
        people.skills_viewset,
        activities.themes_viewset,
        privacy.closures_viewset,
        letters.letters_viewset,
    )


@hooks.register("register_admin_viewset")
def register_volunteering_viewsets():
    return VolunteeringViewSetGroup()


@hooks.register("register_admin_viewset")
def register_organisation_chooser():
    return organisation_chooser


@hooks.register("register_admin_viewset")
def register_voice_viewsets():
    return voice.VoiceViewSetGroup()


@hooks.register("register_admin_viewset")
def register_points_viewsets():
    return PointsViewSetGroup()


@hooks.register("construct_homepage_panels")
def add_awaiting_panel(request, panels):
    panels.append(AwaitingPanel(request.user))


@hooks.register(QUEUES_HOOK)
def awaiting_queues():
    """What the "待我处理" panel counts, in this order."""
    return [
        reporting.REPORT_QUEUE,
        menu.CLAIM_QUEUE,
        menu.PLEDGE_QUEUE,
        teams.MEMBERSHIP_QUEUE,
        signups.SIGNUP_QUEUE,
        reporting.not_reported_queue,
        reporting.not_invited_queue,
        privacy.closure_queue,
        voice.NEW_FEEDBACK_QUEUE,
        voice.overdue_feedback_queue,
    ]


# Each staff member chooses how they hear of new residents' requests (account settings).
@hooks.register("register_account_settings_panel")
def register_voice_alerts_panel(request, user, profile):
    return StaffAlertsPanel(request, user, profile)


# Year-end assessment, report rates, demonstration communities (考核评定): plain admin views.
@hooks.register("register_admin_urls")
def register_assessment_urls():
    return assessment.admin_urls()


@hooks.register("register_admin_menu_item")
def register_assessment_menu():
    return assessment.assessment_menu_item()


# Printable records (打印档案): the contact handbook from the community page's header menu.
@hooks.register("register_page_header_buttons")
def register_handbook_button(page, user, view_name, next_url=None):
    return records.handbook_buttons(page, user)


# What the home page shows from volunteering (portal's `home_page_sections` extension point).
hooks.register(HOME_PAGE_SECTIONS, figures_sections.home_page_sections)
hooks.register(HOME_PAGE_SECTIONS, communities_sections.home_page_sections)
hooks.register(HOME_PAGE_SECTIONS, voice_sections.home_page_sections)
# A community's page shows its public notices (letters' answer to `community_page_sections`).
hooks.register(COMMUNITY_PAGE_SECTIONS, letter_sections.community_page_sections)


# The history of a letter shows each send and resend, with how many it reached.
@hooks.register("register_log_actions")
def register_letter_log_actions(actions):
    actions.register_action(letter_services.SEND_ACTION)(letters.SendFormatter)
    actions.register_action(letter_services.RESEND_ACTION)(letters.ResendFormatter)


# A letter's editor offers 发布 and 提交审核 by the letters' own policy.
hooks.register("construct_snippet_action_menu", letters.adjust_action_menu)
