"""Admin hooks of the shared base: the page editor of every page type (`portal.page_editing`);
draft titles kept from those who may not edit them (`portal.draft_privacy`); the account logs
(`portal.login_log`); the page cache's mark on the requests a Wagtail page answers
(`portal.page_cache`); admin lists readable on phones (`admin-phone.css`)."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from portal import page_cache
from portal.draft_privacy import chooser_pages, edits_whole_site, refuse_moves_not_allowed
from portal.login_log import AccountLogViewSetGroup
from portal.page_editing import page_viewset

hooks.register("before_serve_page", page_cache.mark_page)
hooks.register("before_move_page", refuse_moves_not_allowed)


@hooks.register("insert_global_admin_css")
def admin_lists_readable_on_phones():
    return format_html('<link rel="stylesheet" href="{}">', static("portal/css/admin-phone.css"))


# The password reset logs of volunteering.accounts, with the failed sign-ins' log of portal.
@hooks.register("register_admin_viewset")
def register_account_logs():
    return AccountLogViewSetGroup()


@hooks.register("construct_page_chooser_queryset")
def only_live_or_own_pages_in_the_chooser(pages, request):
    return chooser_pages(pages, request.user)


@hooks.register("construct_reports_menu")
def page_types_usage_for_whole_site_editors(request, menu_items):
    if not edits_whole_site(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]


# After Wagtail's default page viewset (order -1), which this one replaces for every page type.
@hooks.register("register_admin_viewset")
def register_page_viewset():
    return page_viewset
