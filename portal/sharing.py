"""What a page says about itself when shared in WeChat, Weibo or QQ (Open Graph, description)."""

import html
import logging

from django.utils.html import strip_tags
from django.utils.text import Truncator

from portal.addresses import absolute_url, page_url

logger = logging.getLogger(__name__)

SHARE_DESCRIPTION_CHARS = 120
SHARE_IMAGE_FILTER = "fill-1200x630"  # the 1.91:1 card WeChat, Weibo and QQ crop to


class SharingMixin:
    """Pages give a description and an image for `<meta>` tags; subclasses refine both."""

    og_type = "website"

    def get_meta_description(self) -> str:
        return self.search_description or ""

    def get_share_description(self) -> str:
        return plain_summary(self.get_meta_description())

    def get_share_image(self):
        """An image for share cards, or None (the site default is used then)."""
        return getattr(self, "image", None)


def plain_summary(text, limit: int = SHARE_DESCRIPTION_CHARS) -> str:
    """Text without tags or runs of whitespace, cut to `limit` characters. Rich text keeps its
    characters as entities (`&amp;`, `&lt;`): they are decoded here, since every place this text
    goes (templates, feeds' XML) escapes it again, and would otherwise show "&amp;" to readers."""
    text = html.unescape(strip_tags(str(text or ""))).strip()
    return Truncator(" ".join(text.split())).chars(limit)


def share_image_meta(image, request) -> dict | None:
    """The absolute URL and size of the share rendition of `image`, or None if it can't be made
    (a missing original file must not break the page it is shared from)."""
    try:
        rendition = image.get_rendition(SHARE_IMAGE_FILTER)
    except OSError:  # Wagtail's SourceImageIOError among them
        logger.warning("No share rendition for image %s", image.pk, exc_info=True)
        return None
    url = absolute_url(rendition.url)
    return {"url": url, "width": rendition.width, "height": rendition.height}


def share_meta_context(*, page, request, portal_settings, context) -> dict:
    """The values of the description and Open Graph tags for `page` (None outside pages:
    then the view's `meta_title` / `meta_description` and the request's URL are used)."""
    site_name = portal_settings.site_title if portal_settings else ""
    title = (page.seo_title or page.title) if page else context.get("meta_title", "")
    description = (
        (page.get_share_description() if hasattr(page, "get_share_description") else "")
        or plain_summary(context.get("meta_description", ""))
        or (portal_settings.tagline if portal_settings else "")
        or title
        or site_name
    )
    image = page.get_share_image() if hasattr(page, "get_share_image") else None
    if image is None and portal_settings is not None:
        image = portal_settings.share_image
    url = page_url(page, request) if page is not None and hasattr(page, "get_url") else ""
    if not url and request is not None:
        url = absolute_url(request.get_full_path())
    og_type = getattr(page, "og_type", "website")
    published = None
    if og_type == "article" and page is not None:
        published = getattr(page, "date", None) or page.first_published_at
    return {
        "title": title or site_name,
        "description": description,
        "image": share_image_meta(image, request) if image is not None else None,
        "url": url,
        "og_type": og_type,
        "published": published,
        "site_name": site_name,
    }
