"""The volunteering admin (志愿服务): scoped permission policies, the viewsets, the dashboard panel.

The policies are registered first, before anything asks Wagtail for a model's policy (Wagtail
would otherwise create its default one, based on Django model permissions)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from volunteering.admin.policy import POLICIES

for _model, _policy in POLICIES.items():
    register_permission_policy(_model, _policy, exact_class=True)

from volunteering.admin.dashboard import AwaitingPanel  # noqa: E402
from volunteering.admin.viewsets import VolunteeringViewSetGroup  # noqa: E402


@hooks.register("register_admin_viewset")
def register_volunteering_viewsets():
    return VolunteeringViewSetGroup()


@hooks.register("construct_homepage_panels")
def add_awaiting_panel(request, panels):
    panels.append(AwaitingPanel(request.user))


# Residents' voice (听取民意): its module registers its own policies on import.
from volunteering.admin.voice import VoiceViewSetGroup  # noqa: E402


@hooks.register("register_admin_viewset")
def register_voice_viewsets():
    return VoiceViewSetGroup()


# Dedication points (奉献积分): its module registers its own policies on import.
from volunteering.admin.points import PointsViewSetGroup  # noqa: E402


@hooks.register("register_admin_viewset")
def register_points_viewsets():
    return PointsViewSetGroup()


# Year-end assessment, report rates, demonstration communities (考核评定): plain admin views.
from volunteering.admin import assessment as assessment_admin  # noqa: E402


@hooks.register("register_admin_urls")
def register_assessment_urls():
    return assessment_admin.admin_urls()


@hooks.register("register_admin_menu_item")
def register_assessment_menu():
    return assessment_admin.assessment_menu_item()


# Drafting a report from the live figures (起草工作报告): one admin view and its menu item.
from volunteering.admin import drafts as drafts_admin  # noqa: E402


@hooks.register("register_admin_urls")
def register_report_draft_urls():
    return drafts_admin.admin_urls()


@hooks.register("register_admin_menu_item")
def register_report_draft_menu():
    return drafts_admin.report_draft_menu_item()


# Printable records (打印档案): the contact handbook from the community page's header menu.
from volunteering import views_print  # noqa: E402


@hooks.register("register_page_header_buttons")
def register_handbook_button(page, user, view_name, next_url=None):
    return views_print.handbook_buttons(page, user)
