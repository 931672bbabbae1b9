"""Staff see, for a need, the confirmed members of their community whose skills match."""

import pytest

from tests import factories
from tests.volunteering.admin.support import build_world, url
from volunteering.reporting.services import report_confirm


@pytest.fixture
def world(site_tree):
    return build_world(site_tree)


def _confirmed_member(community, staff, name, skills):
    member = factories.MemberFactory(real_name=name)
    member.skills.set(skills)
    report = factories.ReportFactory(member=member, community=community)
    report_confirm(report=report, by=staff)
    return member


def test_the_need_page_lists_matching_members_best_first(client, world):
    law = factories.SkillFactory(name="法律咨询")
    order = factories.SkillFactory(name="维持秩序")
    side = world.a
    side.need.skills.set([law, order])
    _confirmed_member(side.community, side.staff, "两项都会", [law, order])
    _confirmed_member(side.community, side.staff, "只会法律", [law])
    _confirmed_member(
        side.community, side.staff, "都不会", [factories.SkillFactory(name="医疗保健")]
    )
    _confirmed_member(world.b.community, world.b.staff, "别的社区", [law, order])

    client.force_login(side.staff)
    html = client.get(url("need", "inspect", side.need.pk)).content.decode()
    assert "特长匹配的党员" in html
    assert html.index("两项都会") < html.index("只会法律")
    assert "都不会" not in html
    assert "别的社区" not in html


def test_staff_of_another_community_cannot_open_the_need(client, world):
    client.force_login(world.b.staff)
    assert client.get(url("need", "inspect", world.a.need.pk)).status_code == 404
