"""The points tests' world: rules of their own, a community with its staff and a member who
reported to it."""

import datetime
from decimal import Decimal

import pytest

from tests import factories
from tests.factories import community_staff
from volunteering.points.models import PointRule
from volunteering.reporting.models import Report

RULE_DAY = datetime.date(2020, 1, 1)


@pytest.fixture
def rules(db):
    """Rules of our own, later than the seeded defaults, so the amounts here are known."""
    return {
        key: PointRule.objects.create(key=key, amount=Decimal(amount), valid_from=RULE_DAY)
        for key, amount in [
            ("hours_attended", "2"),
            ("no_show", "-3"),
            ("pledge_fulfilled", "10"),
            ("feedback_resolved", "5"),
        ]
    }


@pytest.fixture
def world(site_tree, rules):
    community = site_tree.community
    member = factories.MemberFactory(real_name="杨光明")
    factories.ReportFactory(member=member, community=community, state=Report.State.CONFIRMED)
    return {
        "community": community,
        "member": member,
        "staff": community_staff(community, "staff-a"),
        "other_staff": community_staff(site_tree.other_community, "staff-b"),
    }
