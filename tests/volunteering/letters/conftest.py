"""The people and groups the letters' tests address: two members reported to 麒麟社区 (one with
an email, both a phone), one to 方城社区, and the city's reviewer."""

import pytest

from tests import factories
from volunteering.reporting.models import Report


@pytest.fixture
def reported(community, member):
    """`member` and one more, reported (confirmed) to `community`."""
    member.user.email = "yang@example.cn"
    member.user.save()
    second = factories.MemberFactory(real_name="周红", user__email="")
    for each in (member, second):
        factories.ReportFactory(member=each, community=community, state=Report.State.CONFIRMED)
    return [member, second]


@pytest.fixture
def elsewhere(other_community, other_member):
    factories.ReportFactory(
        member=other_member, community=other_community, state=Report.State.CONFIRMED
    )
    return other_member


@pytest.fixture
def notice(community, reported):
    """麒麟社区's published notice to those reported to it, by inbox, email and text."""
    return factories.LetterFactory(
        community=community, audience_community=community, by_email=True, by_text=True
    )
