"""Admin hooks of the shared base: the page editor of every page type (`portal.page_editing`)."""

from wagtail import hooks

from portal.page_editing import page_viewset


# After Wagtail's default page viewset (order -1), which this one replaces for every page type.
@hooks.register("register_admin_viewset")
def register_page_viewset():
    return page_viewset
