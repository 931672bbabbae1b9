"""The news admin: drafting a report from the live figures (起草工作报告), one admin view and its
menu item. And what news shows on other apps' pages, answering their extension points
(portal.sections): the latest news on the home page, a community's news on its page."""

from wagtail import hooks

from news import report_draft_views, sections
from portal.sections import HOME_PAGE_SECTIONS
from volunteering.communities.selectors import COMMUNITY_PAGE_SECTIONS


@hooks.register("register_admin_urls")
def register_report_draft_urls():
    return report_draft_views.admin_urls()


@hooks.register("register_admin_menu_item")
def register_report_draft_menu():
    return report_draft_views.report_draft_menu_item()


hooks.register(HOME_PAGE_SECTIONS, sections.home_page_sections)
hooks.register(COMMUNITY_PAGE_SECTIONS, sections.community_page_sections)
