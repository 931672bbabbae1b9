"""factory_boy factories. Page factories add their page under a parent given as `parent=`
(defaulting to a sensible place in the tree built by the `site_tree` fixture).

One module per capability; every factory and helper is imported here, so `from tests.factories
import X` and `factories.X` work whichever module defines X."""

from tests.factories.accounts import (
    LoginFailureFactory,
    OneTimeCodeFactory,
    PasswordResetEmailFactory,
)
from tests.factories.activities import (
    ActivityIndexPageFactory,
    ActivityPageFactory,
    SignUpFactory,
    ThemeFactory,
)
from tests.factories.assessment import AssessmentFactory
from tests.factories.base import PageFactory, StatefulFactory, UserFactory
from tests.factories.letters import LetterFactory, send_letter
from tests.factories.menu import (
    NeedClaimFactory,
    NeedFactory,
    PostFactory,
    PostPledgeFactory,
    TeamFactory,
    TeamMembershipFactory,
)
from tests.factories.pages import (
    BrandCardFactory,
    BrandProjectPageFactory,
    CommunityIndexPageFactory,
    CommunityPageFactory,
    CountyPageFactory,
    HomePageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    SiteTree,
    StandardPageFactory,
    build_site_tree,
)
from tests.factories.people import MemberFactory, OrganisationFactory, ReportFactory, SkillFactory
from tests.factories.points import PointEntryFactory, PointRuleFactory, point_entry
from tests.factories.privacy import AccountClosureFactory
from tests.factories.roles import (
    ReviewScopeFactory,
    _admin_group,
    _permission,
    admin_user,
    city_user,
    community_staff,
    make_reviewer,
    make_staff,
    organisation_admin,
)
from tests.factories.voice import FeedbackFactory, GoodDeedFactory

__all__ = [
    "AccountClosureFactory",
    "ActivityIndexPageFactory",
    "ActivityPageFactory",
    "AssessmentFactory",
    "BrandCardFactory",
    "BrandProjectPageFactory",
    "CommunityIndexPageFactory",
    "CommunityPageFactory",
    "CountyPageFactory",
    "FeedbackFactory",
    "GoodDeedFactory",
    "HomePageFactory",
    "LetterFactory",
    "LoginFailureFactory",
    "MemberFactory",
    "NeedClaimFactory",
    "NeedFactory",
    "NewsIndexPageFactory",
    "NewsPageFactory",
    "OneTimeCodeFactory",
    "OrganisationFactory",
    "PageFactory",
    "PasswordResetEmailFactory",
    "PointEntryFactory",
    "PointRuleFactory",
    "PostFactory",
    "PostPledgeFactory",
    "ReportFactory",
    "ReviewScopeFactory",
    "SignUpFactory",
    "SiteTree",
    "SkillFactory",
    "StandardPageFactory",
    "StatefulFactory",
    "TeamFactory",
    "TeamMembershipFactory",
    "ThemeFactory",
    "UserFactory",
    "_admin_group",
    "_permission",
    "admin_user",
    "build_site_tree",
    "city_user",
    "community_staff",
    "make_reviewer",
    "make_staff",
    "organisation_admin",
    "point_entry",
    "send_letter",
]
