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
    assert _counts(page) == {
        "本单位尚未报到的党员": 1,
        "本单位未激活账号的党员": 0,
        "待确认的注销申请": 0,
    }
    listed = client.get(url("member", "index") + "?report_status=none").content.decode()
    assert "未报到的党员" in listed
    assert world.a.member.real_name not in listed


def test_organisation_admins_see_their_members_who_cannot_sign_in_yet(world, client):
    """Imported members (no password) not yet invited: counted, and the count opens the list
    of exactly them, which the 账号状态 filter gives for each state."""
    from volunteering.accounts.services import invitation_send

    def imported(name, organisation=world.organisation_a):
        member = factories.MemberFactory(organisation=organisation, real_name=name)
        member.user.set_unusable_password()
        member.user.email = f"{member.user.username}@example.com"
        member.user.save()
        return member

    imported("赵未激")
    invited = imported("钱已邀")
    imported("孙外单", organisation=world.organisation_b)
    invitation_send(member=invited, channel="email", by=world.organisation_admin)
    client.force_login(world.organisation_admin)
    page = client.get("/admin/").content.decode()
    assert _counts(page)["本单位未激活账号的党员"] == 1
    index = url("member", "index")
    assert f"{index}?account=inactive" in page

    def listed(state):
        return client.get(f"{index}?account={state}").content.decode()

    assert "赵未激" in listed("inactive")
    assert "钱已邀" not in listed("inactive")
    assert "孙外单" not in listed("inactive")
    assert "钱已邀" in listed("invited") and "赵未激" not in listed("invited")
    active = listed("active")
    assert world.a.member.real_name in active and "赵未激" not in active


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
