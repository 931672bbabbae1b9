"""What news adds to other apps' pages through their extension points (portal.sections):
the latest news on the home page and a community's news on its page. Registered in
news/wagtail_hooks.py."""

from news.selectors import community_channels, community_news, latest_news
from portal.sections import Section

HOME_NEWS_LIMIT = 8
COMMUNITY_NEWS_LIMIT = 8

HOME_NEWS_ORDER = 20  # after the figures, before volunteering's brand projects and communities
COMMUNITY_NEWS_ORDER = 100  # at the foot of the community page


def home_page_sections(home, request) -> Section:
    """最新动态: the newest news anywhere under the home page."""
    return Section(
        "news/includes/home_latest_news.html",
        {"latest_news": latest_news(root=home, limit=HOME_NEWS_LIMIT)},
        order=HOME_NEWS_ORDER,
    )


def community_page_sections(community, request) -> Section:
    """社区动态: news in the community's own channels or tagged with it, and links to those
    channels. Two queries whatever the number of news."""
    return Section(
        "news/includes/community_news.html",
        {
            "community_news": community_news(community=community, limit=COMMUNITY_NEWS_LIMIT),
            "news_channels": community_channels(community=community),
        },
        order=COMMUNITY_NEWS_ORDER,
    )
