"""Admin hooks of the shared base: the page editor of every page type (`portal.page_editing`).
And the page cache's mark on the requests a Wagtail page answers (`portal.page_cache`)."""

from wagtail import hooks

from portal import page_cache
from portal.page_editing import page_viewset

hooks.register("before_serve_page", page_cache.mark_page)


# After Wagtail's default page viewset (order -1), which this one replaces for every page type.
@hooks.register("register_admin_viewset")
def register_page_viewset():
    return page_viewset
