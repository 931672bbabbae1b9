"""Fixtures shared by the tests of several volunteering capabilities (the role fixtures are
in tests/conftest.py)."""

import pytest

from tests import factories


@pytest.fixture
def team(community):
    leader = factories.MemberFactory(real_name="李队长")
    return factories.TeamFactory(community=community, name="法律援助服务队", leader=leader)


@pytest.fixture
def post(community):
    return factories.PostFactory(community=community, title="楼栋联络员")
