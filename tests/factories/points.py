"""Points (积分): rules and entries of the ledger."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories.people import MemberFactory
from volunteering.points.models import PointEntry, PointRule


def point_entry(member, community, amount, *, days_ago: int = 0, reason: str = "补录"):
    """A manual points entry (补录) of `amount` for `member` in `community`, `days_ago` old."""
    return PointEntry.objects.create(
        member=member,
        community=community,
        amount=Decimal(str(amount)),
        kind="correction",
        rule_key="manual",
        reason=reason,
        earned_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


class PointRuleFactory(factory.django.DjangoModelFactory):
    """A points rule in force from a past day (one per key and day)."""

    class Meta:
        model = PointRule

    key = PointRule.Key.PLEDGE_FULFILLED
    amount = Decimal("5.0")
    valid_from = factory.Sequence(lambda n: datetime.date(2020, 1, 1) + datetime.timedelta(days=n))


class PointEntryFactory(factory.django.DjangoModelFactory):
    """A manual points entry of a member in a community; pass `community=`."""

    class Meta:
        model = PointEntry

    member = factory.SubFactory(MemberFactory)
    amount = Decimal("2.0")
    kind = PointEntry.Kind.CORRECTION
    rule_key = PointEntry.MANUAL_KEY
    reason = "补记上门服务"
