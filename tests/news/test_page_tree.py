"""Channels (栏目) and news pages in the page tree: where they may be created, what they hold,
and that they render (Wagtail's page-test assertions)."""

from news.models import NewsIndexPage, NewsPage
from portal.models import HomePage
from tests import factories
from tests.page_tree import PageTreeTestCase
from volunteering.communities.models import CommunityPage


class TestPageTree(PageTreeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.item = factories.NewsPageFactory(parent=cls.tree.news, title="社区报到工作扎实推进")
        cls.community_channel = factories.NewsIndexPageFactory(
            parent=cls.tree.community, title="社区动态"
        )

    def test_news_page_lives_only_under_a_channel(self):
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(NewsPage, set())

    def test_channel_lives_only_under_the_home_page_or_a_community(self):
        self.assertAllowedParentPageTypes(NewsIndexPage, {HomePage, CommunityPage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})

    def test_a_news_page_is_created_in_a_channel_and_nowhere_else(self):
        self.assertCreatableOnlyUnder(NewsPage, {NewsIndexPage})

    def test_a_channel_is_created_under_the_home_page_or_a_community_and_nowhere_else(self):
        self.assertCreatableOnlyUnder(NewsIndexPage, {HomePage, CommunityPage})

    def test_a_channel_renders_under_the_home_page_and_under_a_community(self):
        self.assertPageIsRenderable(self.tree.news)
        self.assertPageIsRenderable(self.community_channel)

    def test_a_news_page_renders(self):
        self.assertPageIsRenderable(self.item)
