"""RSS and Atom feeds of news, site-wide and per channel."""

import copy

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from news.selectors import news_for_feed
from portal.addresses import absolute_url, page_url

FEED_DESCRIPTION = _("在职党员进社区服务工作的最新新闻")


class NewsRssFeed(Feed):
    """The latest news of the whole site, or of one channel when `channel` is given."""

    def __call__(self, request, *args, **kwargs):
        # The URLconf holds one instance for every request: work on a copy holding this request.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def get_object(self, request, channel=None):
        return channel

    def title(self, channel):
        return channel.title if channel else _("新闻动态")

    def description(self, channel):
        return (channel.intro if channel else "") or FEED_DESCRIPTION

    # Absolute on the public address (PORTAL_BASE_URL): the syndication framework would
    # otherwise put the address the feed was fetched from in front of relative links.
    def link(self, channel):
        return page_url(channel, self.request) if channel else absolute_url("/")

    def feed_url(self, channel):
        return absolute_url(self.request.path)

    def items(self, channel):
        return news_for_feed(channel=channel)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.get_share_description()

    def item_link(self, item):
        return page_url(item, self.request)

    def item_pubdate(self, item):
        return item.date

    def item_updateddate(self, item):
        return max(item.date, item.last_published_at or item.date)

    def item_author_name(self, item):
        return "、".join(b.name for b in item.bylines.all()) or item.source or None

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, channel):
        return self.description(channel)
