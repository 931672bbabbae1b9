"""What the page-tree tests of each app (tests/<app>/test_page_tree.py) share: Wagtail's
page-test assertions (`WagtailPageTestCase`) over the site tree of `factories.build_site_tree`,
built once per test class."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from news.models import NewsIndexPage, NewsPage
from portal.models import HomePage, StandardPage
from tests import factories
from volunteering.activities.models import ActivityIndexPage, ActivityPage
from volunteering.communities.models import (
    BrandProjectPage,
    CommunityIndexPage,
    CommunityPage,
    CountyPage,
)

# Every page type of the site, and Wagtail's root (`Page`).
PAGE_TYPES = [
    Page,
    HomePage,
    StandardPage,
    NewsIndexPage,
    NewsPage,
    CommunityIndexPage,
    CountyPage,
    CommunityPage,
    BrandProjectPage,
    ActivityIndexPage,
    ActivityPage,
]


class PageTreeTestCase(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.tree = factories.build_site_tree()

    def assertCreatableOnlyUnder(self, model, parents: set) -> None:
        """`model` can be created under each of `parents` and under no other page type: its
        `parent_page_types` and the parents' `subpage_types` agree."""
        self.assertAllowedParentPageTypes(model, parents)
        for parent in PAGE_TYPES:
            if parent in parents:
                self.assertCanCreateAt(parent, model)
            else:
                self.assertCanNotCreateAt(parent, model)
