"""The news admin: drafting a report from the live figures (起草工作报告), one admin view and its
menu item. And what news shows on other apps' pages, answering their extension points
(portal.sections): the latest news on the home page, a community's news on its page. And a
news item served from the page cache still counts its view (`portal.page_cache`)."""

from wagtail import hooks

from news import report_draft_views, sections
from news.services import page_view_record_by_id
from portal.page_cache import HIT_HOOK
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


@hooks.register(HIT_HOOK)
def count_cached_view(request, page_id, page_type):
    if page_type == "news.newspage":
        page_view_record_by_id(page_id=page_id, request=request)
