"""The demo's points: attended sign-ups recorded before points existed get theirs when the demo
is loaded, once, however often it is loaded."""

import datetime
from decimal import Decimal

from django.utils import timezone

from tests import factories
from volunteering.demo.points import load_points_demo
from volunteering.points.models import PointEntry
from volunteering.signups.models import SignUp
from workflows.statemachine import fixture_states


def test_demo_attendance_earns_points_once(site_tree):
    starts_at = timezone.now() - datetime.timedelta(days=3)
    activity = factories.ActivityPageFactory(
        parent=site_tree.community,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
    )
    member = factories.MemberFactory()
    with fixture_states():  # as if recorded before the ledger existed: no award yet
        SignUp.objects.create(
            activity=activity, member=member, state="attended", queued_at=starts_at, hours=3
        )
    load_points_demo()
    load_points_demo()
    entry = PointEntry.objects.get()
    # The seeded rule: 2 points an hour.
    assert (entry.member, entry.amount, entry.community) == (
        member,
        Decimal("6.0"),
        site_tree.community,
    )
