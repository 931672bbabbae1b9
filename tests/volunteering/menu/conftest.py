"""The skills the service menu's needs and members are matched by, by name."""

import pytest

from tests import factories


@pytest.fixture
def skills(db):
    names = ("法律咨询", "医疗保健", "文明引导", "维持秩序")
    return {name: factories.SkillFactory(name=name) for name in names}
