"""The community tree (社区导航 → county → community → brand project): where each page type
may be created, what it holds, and that it renders (Wagtail's page-test assertions)."""

from news.models import NewsIndexPage
from portal.models import HomePage
from tests import factories
from tests.page_tree import PageTreeTestCase
from volunteering.activities.models import ActivityPage
from volunteering.communities.models import (
    BrandProjectPage,
    CommunityIndexPage,
    CommunityPage,
    CountyPage,
)


class TestPageTree(PageTreeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.brand = factories.BrandProjectPageFactory(
            parent=cls.tree.community, title="小卡片装载大服务"
        )
        factories.BrandCardFactory(page=cls.brand)

    def test_the_community_index_is_created_under_the_home_page_only(self):
        self.assertCreatableOnlyUnder(CommunityIndexPage, {HomePage})

    def test_the_community_index_holds_counties_only(self):
        self.assertAllowedSubpageTypes(CommunityIndexPage, {CountyPage})

    def test_a_county_is_created_under_the_community_index_only(self):
        self.assertCreatableOnlyUnder(CountyPage, {CommunityIndexPage})

    def test_a_county_holds_communities_only(self):
        self.assertAllowedSubpageTypes(CountyPage, {CommunityPage})

    def test_a_community_is_created_under_a_county_only(self):
        self.assertCreatableOnlyUnder(CommunityPage, {CountyPage})

    def test_a_community_holds_brand_projects_channels_and_activities(self):
        self.assertAllowedSubpageTypes(
            CommunityPage, {BrandProjectPage, NewsIndexPage, ActivityPage}
        )

    def test_a_brand_project_is_created_under_a_community_only_and_holds_nothing(self):
        self.assertCreatableOnlyUnder(BrandProjectPage, {CommunityPage})
        self.assertAllowedSubpageTypes(BrandProjectPage, set())

    def test_the_index_a_county_and_a_community_render(self):
        for page in (self.tree.communities, self.tree.county, self.tree.community):
            self.assertPageIsRenderable(page)

    def test_a_brand_project_renders_with_its_printable_cards(self):
        self.assertPageIsRenderable(self.brand)
        self.assertPageIsRenderable(self.brand, route_path="print/")
