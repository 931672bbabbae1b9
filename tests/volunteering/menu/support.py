"""What the service menu's tests share."""

import datetime

from django.utils import timezone

from tests import factories
from volunteering.reporting.models import Report


def confirmed_member(community, *skill_list, **fields):
    member = factories.MemberFactory(**fields)
    member.skills.set(skill_list)
    factories.ReportFactory(member=member, community=community, state=Report.State.CONFIRMED)
    return member


def pledge_kwargs(**overrides):
    today = timezone.localdate()
    values = {
        "commitment": "每周六上午走访 3 号楼住户，收集意见建议。",
        "starts_on": today,
        "ends_on": today + datetime.timedelta(days=180),
    }
    return {**values, **overrides}
