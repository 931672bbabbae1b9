"""Activity pages and the city-wide activity listing in the page tree: where they may be
created, that they hold nothing, and that they and their routes render (Wagtail's page-test
assertions)."""

from portal.models import HomePage
from tests import factories
from tests.page_tree import PageTreeTestCase
from volunteering.activities.models import ActivityIndexPage, ActivityPage
from volunteering.communities.models import CommunityPage


class TestPageTree(PageTreeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.index = factories.ActivityIndexPageFactory(parent=cls.tree.home)
        cls.activity = factories.ActivityPageFactory(parent=cls.tree.community, title="义诊")

    def test_the_activity_listing_is_created_under_the_home_page_only_and_holds_nothing(self):
        self.assertCreatableOnlyUnder(ActivityIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ActivityIndexPage, set())

    def test_an_activity_is_created_under_a_community_only_and_holds_nothing(self):
        self.assertCreatableOnlyUnder(ActivityPage, {CommunityPage})
        self.assertAllowedSubpageTypes(ActivityPage, set())

    def test_the_activity_listing_and_its_month_calendar_render(self):
        self.assertPageIsRenderable(self.index)
        self.assertPageIsRenderable(self.index, route_path="calendar/")

    def test_an_activity_renders_for_anyone(self):
        self.assertPageIsRenderable(self.activity)
        self.assertPageIsRenderable(self.activity, route_path="checkin/", query_data={"code": "x"})

    def test_an_activity_renders_its_staff_and_member_routes(self):
        staff = factories.make_staff(self.tree.community)
        self.assertPageIsRenderable(self.activity, route_path="checkin-qr/", user=staff)
        member = factories.MemberFactory()
        self.assertPageIsRenderable(
            self.activity,
            route_path="signup/",
            post_data={},
            user=member.user,
            accept_redirect=True,
        )
