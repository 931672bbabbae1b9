"""The "待我处理" panel on the admin home: what awaits this user, counted within their scope."""

import re

from tests import factories
from tests.factories import admin_user
from tests.volunteering.admin.support import url
from volunteering.admin.dashboard import awaiting_items
from volunteering.reporting.models import Report
from workflows.statemachine import fixture_states


def _counts(page: str) -> dict[str, int]:
    pairs = re.findall(
        r'<a href="[^"]*">([^<]+)</a></div>\s*</td>\s*<td data-awaiting-count>(\d+)', page
    )
    return {label: int(count) for label, count in pairs}


def test_staff_see_what_awaits_them_in_their_community(world, client):
    client.force_login(world.a.staff)
    page = client.get("/admin/").content.decode()
    assert "待我处理" in page
    assert _counts(page) == {
        "待确认的报到": 1,
        "待确认的需求认领": 1,
        "待接受的领岗承诺": 1,
        "待审核的入队申请": 1,
        "待审核的活动报名": 1,
        "待受理的居民诉求": 0,
    }
    assert url("report", "index") + "?state=pending" in page


def test_counts_leave_out_other_communities_and_decided_work(world):
    Report.objects.filter(pk=world.a.report.pk).update(state=Report.State.CONFIRMED)
    counts = {item.label: item.count for item in awaiting_items(world.a.staff)}
    assert counts["待确认的报到"] == 0
    city = {item.label: item.count for item in awaiting_items(world.city)}
    assert city["待确认的报到"] == 1  # community B's
    assert city["待审核的活动报名"] == 2


def test_organisation_admins_see_their_members_who_have_not_reported(world, client):
    factories.MemberFactory(organisation=world.organisation_a, real_name="未报到的党员")
    client.force_login(world.organisation_admin)
    page = client.get("/admin/").content.decode()
    assert _counts(page) == {"本单位尚未报到的党员": 1, "待确认的注销申请": 0}
    listed = client.get(url("member", "index") + "?report_status=none").content.decode()
    assert "未报到的党员" in listed
    assert world.a.member.real_name not in listed


def test_users_without_a_role_get_no_panel(world, client):
    client.force_login(admin_user("reviewer-only"))
    assert "待我处理" not in client.get("/admin/").content.decode()


def test_the_panel_takes_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    for _ in range(5):
        member = factories.MemberFactory()
        with fixture_states():
            Report.objects.create(member=member, community=world.a.community, kind="voluntary")
    # permissions (2), communities and organisations managed (2), six counts, activity paths
    with django_assert_max_num_queries(11):
        awaiting_items(world.a.staff)
