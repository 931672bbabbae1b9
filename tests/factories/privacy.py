"""Privacy (账号注销): members' requests to close their account."""

import factory

from tests.factories.base import StatefulFactory
from tests.factories.people import MemberFactory
from volunteering.privacy.models import AccountClosure


class AccountClosureFactory(StatefulFactory):
    """A member's request to close their account, to their organisation (pending by default)."""

    class Meta:
        model = AccountClosure

    member = factory.SubFactory(MemberFactory)
    organisation = factory.SelfAttribute("member.organisation")
