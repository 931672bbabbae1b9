"""The home page and standard pages: where they may be created, what they hold, and that they
render (Wagtail's page-test assertions)."""

from wagtail.models import Page

from news.models import NewsIndexPage
from portal.models import HomePage, StandardPage
from tests import factories
from tests.page_tree import PageTreeTestCase
from volunteering.activities.models import ActivityIndexPage
from volunteering.communities.models import CommunityIndexPage


class TestHomePage(PageTreeTestCase):
    def test_the_home_page_is_created_at_the_root_only(self):
        self.assertCreatableOnlyUnder(HomePage, {Page})
        # Of the site's own page types, only the home page (Wagtail's bare `Page` is never
        # creatable in the admin).
        self.assertAllowedSubpageTypes(Page, {Page, HomePage})

    def test_the_home_page_holds_channels_the_two_indexes_and_standard_pages(self):
        self.assertAllowedSubpageTypes(
            HomePage, {NewsIndexPage, CommunityIndexPage, ActivityIndexPage, StandardPage}
        )

    def test_the_home_page_renders(self):
        self.assertPageIsRenderable(self.tree.home)


class TestStandardPage(PageTreeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.about = factories.StandardPageFactory(parent=cls.tree.home, title="关于")

    def test_a_standard_page_is_created_under_the_home_page_or_another_standard_page(self):
        self.assertCreatableOnlyUnder(StandardPage, {HomePage, StandardPage})

    def test_a_standard_page_holds_standard_pages_only(self):
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})

    def test_a_standard_page_renders_also_below_another(self):
        self.assertPageIsRenderable(self.about)
        child = factories.StandardPageFactory(parent=self.about, title="联系我们")
        self.assertPageIsRenderable(child)
