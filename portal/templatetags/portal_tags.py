from django import template
from wagtail.models import Page, Site

from portal.models import PortalSettings

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu_pages(context):
    """The home page's live children that are shown in menus (one query, cached per request)."""
    request = context.get("request")
    cached = getattr(request, "_main_menu_pages", None)
    if cached is not None:
        return cached
    site = Site.find_for_request(request) if request else None
    pages = []
    if site:
        pages = list(
            Page.objects.live().public().in_menu().child_of(site.root_page).only(
                "title", "url_path", "path", "depth"
            )
        )
    if request is not None:
        request._main_menu_pages = pages
    return pages


@register.inclusion_tag("includes/share_meta.html", takes_context=True)
def share_meta(context):
    """Description and Open Graph tags so links shared in WeChat, Weibo and QQ show a card."""
    request = context.get("request")
    page = context.get("page")
    portal_settings = PortalSettings.for_request(request) if request else None
    description = page.get_share_description() if hasattr(page, "get_share_description") else ""
    image = page.get_share_image() if hasattr(page, "get_share_image") else None
    if image is None and portal_settings is not None:
        image = portal_settings.share_image
    return {
        "request": request,
        "page": page,
        "title": (page.seo_title or page.title) if page else context.get("meta_title", ""),
        "description": description or context.get("meta_description", ""),
        "image": image,
        "url": page.get_full_url(request) if page and hasattr(page, "get_full_url") else (
            request.build_absolute_uri() if request else ""
        ),
        "og_type": getattr(page, "og_type", "website"),
        "site_name": portal_settings.site_title if portal_settings else "",
    }
