"""The admin lists and exports take a bounded number of queries, whatever the number of rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.volunteering.admin.support import url
from volunteering.activities.models import Theme
from volunteering.menu.models import Need, NeedClaim, Post, PostPledge
from volunteering.reporting.models import Report
from volunteering.signups.models import SignUp
from volunteering.teams.models import Team, TeamMembership
from workflows.statemachine import fixture_states

MAX_QUERIES = 30


@fixture_states()
def add_rows(world, count: int) -> None:
    """`count` more of everything in community A, each with its own member."""
    side = world.a
    skill = factories.SkillFactory(name="法律咨询")
    for n in range(count):
        member = factories.MemberFactory(organisation=world.organisation_a)
        member.skills.add(skill)
        Report.objects.create(member=member, community=side.community, kind="voluntary")
        need = Need.objects.create(community=side.community, title=f"需求{n}")
        need.skills.add(skill)
        NeedClaim.objects.create(need=need, member=member)
        team = Team.objects.create(name=f"队{n}", community=side.community, leader=member)
        TeamMembership.objects.create(team=team, member=member)
        post = Post.objects.create(community=side.community, title=f"岗位{n}")
        today = timezone.localdate()
        PostPledge.objects.create(
            post=post,
            member=member,
            commitment="承诺",
            starts_on=today,
            ends_on=today + datetime.timedelta(days=30),
        )
        activity = factories.ActivityPageFactory(parent=side.community, title=f"活动{n}")
        SignUp.objects.create(activity=activity, member=member, queued_at=timezone.now())
        factories.OrganisationFactory()
        Theme.objects.create(title=f"主题{n}")
        factories.SkillFactory(name=f"特长{n}")


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(context)


MODELS = [
    "report",
    "member",
    "need",
    "needclaim",
    "team",
    "teammembership",
    "post",
    "postpledge",
    "signup",
    "organisation",
    "skill",
    "theme",
]


@pytest.mark.parametrize("who", ["staff", "city"])
def test_lists_and_exports_do_not_grow_with_rows(world, client, who):
    user = world.a.staff if who == "staff" else world.city
    client.force_login(user)
    models = [m for m in MODELS if who == "city" or m not in ("organisation", "skill", "theme")]
    paths = [url(m, "index") for m in models] + [url(m, "index") + "?export=xlsx" for m in models]
    factories.SkillFactory(name="心理疏导")
    Theme.objects.create(title="党旗在社区飘扬")
    for path in paths:  # warm up caches (content types, site settings …)
        client.get(path)
    few = {path: count_queries(client, path) for path in paths}
    add_rows(world, 6)
    many = {path: count_queries(client, path) for path in paths}
    grew = {p: (few[p], many[p]) for p in paths if many[p] != few[p] or many[p] > MAX_QUERIES}
    assert not grew
