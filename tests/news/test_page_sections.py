"""News answers the pages' extension points (portal.sections): a community's news on its page,
the latest news on the home page."""

from news import sections
from portal.sections import HOME_PAGE_SECTIONS, collect_sections
from tests import factories
from volunteering.communities.selectors import COMMUNITY_PAGE_SECTIONS


def test_news_answers_the_community_page_with_its_news_and_channels(rf, site_tree):
    community = site_tree.community
    channel = factories.NewsIndexPageFactory(parent=community, title="社区动态栏目")
    own = factories.NewsPageFactory(parent=channel, title="社区召开民情恳谈会")
    factories.NewsPageFactory(parent=site_tree.news, title="与本社区无关的新闻")
    answers = collect_sections(COMMUNITY_PAGE_SECTIONS, community, rf.get(community.url))
    news = [s for s in answers if s.template_name == "news/includes/community_news.html"]
    assert len(news) == 1
    assert news[0].context["community_news"] == [own]
    assert news[0].context["news_channels"] == [channel]


def test_community_news_is_limited(rf, site_tree):
    channel = factories.NewsIndexPageFactory(parent=site_tree.community)
    for n in range(sections.COMMUNITY_NEWS_LIMIT + 2):
        factories.NewsPageFactory(parent=channel, title=f"动态{n}")
    section = sections.community_page_sections(site_tree.community, rf.get("/"))
    assert len(section.context["community_news"]) == sections.COMMUNITY_NEWS_LIMIT


def test_news_answers_the_home_page_with_the_latest_news(rf, site_tree):
    latest = factories.NewsPageFactory(parent=site_tree.news, title="社区报到工作扎实推进")
    answers = collect_sections(HOME_PAGE_SECTIONS, site_tree.home, rf.get("/"))
    news = [s for s in answers if s.template_name == "news/includes/home_latest_news.html"]
    assert len(news) == 1
    assert news[0].context["latest_news"] == [latest]
