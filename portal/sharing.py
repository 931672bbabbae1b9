"""What a page says about itself when shared in WeChat, Weibo or QQ (Open Graph, description)."""

from django.utils.html import strip_tags
from django.utils.text import Truncator


class SharingMixin:
    """Pages give a description and an image for `<meta>` tags; subclasses refine both."""

    og_type = "website"

    def get_meta_description(self) -> str:
        return self.search_description or ""

    def get_share_description(self) -> str:
        text = strip_tags(self.get_meta_description() or "").strip()
        return Truncator(" ".join(text.split())).chars(120)

    def get_share_image(self):
        """An image for share cards, or None (the site default is used then)."""
        return getattr(self, "image", None)
