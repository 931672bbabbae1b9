"""Timelines in the admin: every record's inspect page says who changed what, when (field by
field, by verbose name and choice label) and why; a team's includes its memberships; the page
takes a bounded number of queries however long the history; private data stays private."""

import pytest

from tests import factories
from tests.volunteering.admin.support import build_world, url
from volunteering.history import admin_timeline
from volunteering.menu import services as menu
from workflows.history import HIDDEN_VALUE


@pytest.fixture
def world(site_tree):
    return build_world(site_tree)


ATTRS = {
    "report": "report",
    "signup": "signup",
    "needclaim": "claim",
    "need": "need",
    "team": "team",
    "teammembership": "membership",
    "postpledge": "pledge",
    "post": "post",
    "member": "member",
}


@pytest.mark.parametrize("model", list(ATTRS))
def test_every_inspect_page_has_a_timeline(world, client, model):
    obj = getattr(world.a, ATTRS[model])
    client.force_login(world.city)
    response = client.get(url(model, "inspect", obj.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "变更记录" in html
    assert response.context["timeline"].entries, "every record has at least its creation"
    # the admin's own log of the record is one click away, for whoever may see the record
    assert url(model, "history", obj.pk) in html
    assert client.get(url(model, "history", obj.pk)).status_code == 200


def test_a_decision_shows_who_when_the_states_and_the_reason(world, client):
    client.force_login(world.a.staff)
    client.post(
        url("report", "action", world.a.report.pk, "return"), {"reason": "请先向挂钩社区报到"}
    )

    response = client.get(url("report", "inspect", world.a.report.pk))

    latest = response.context["timeline"].entries[0]
    assert latest.user == world.a.staff
    assert latest.action_label == "退回"
    assert (latest.source_label, latest.target_label) == ("待确认", "已退回")
    assert (latest.transition, latest.reason) == ("return", "请先向挂钩社区报到")
    html = response.content.decode()
    assert "请先向挂钩社区报到" in html
    assert "状态：待确认 → 已退回" in html
    assert world.a.staff.get_username() in html


def test_a_team_timeline_includes_its_memberships(world, client):
    client.force_login(world.a.staff)
    client.post(url("teammembership", "action", world.a.membership.pk, "approve"))

    response = client.get(url("team", "inspect", world.a.team.pk))

    subjects = [e.subject for e in response.context["timeline"].entries]
    assert f"服务队成员 · {world.a.member.real_name}" in subjects
    html = response.content.decode()
    assert "同意加入" in html and "申请中 → 已加入" in html


def test_a_member_who_acted_is_named_by_their_real_name(world, client):
    member = factories.MemberFactory(real_name="杨建国", organisation=world.organisation_a)
    claim = menu.claim_create(need=world.a.need, member=member)
    client.force_login(world.a.staff)
    response = client.get(url("needclaim", "inspect", claim.pk))
    [created] = response.context["timeline"].entries
    assert (created.user, created.actor) == (member.user, "杨建国")


INSPECT_MAX_QUERIES = 25


def test_inspect_queries_do_not_grow_with_the_history(world, client, django_assert_max_num_queries):
    staff, need = world.a.staff, world.a.need
    client.force_login(staff)
    with django_assert_max_num_queries(INSPECT_MAX_QUERIES):
        client.get(url("need", "inspect", need.pk))
    for n in range(30):
        menu.need_close(need=need, by=staff, reason=f"第{n}次结束")
        client.post(url("need", "action", need.pk, "reopen"))
    with django_assert_max_num_queries(INSPECT_MAX_QUERIES):
        response = client.get(url("need", "inspect", need.pk))
    assert response.context["timeline"].truncated
    assert "第29次结束" in response.content.decode()


def test_the_phone_changes_are_shown_to_those_who_may_see_the_phone(world, client):
    member = world.a.member
    old_phone = member.phone
    member.phone = "139 1234 5678"
    member.save()
    client.force_login(world.city)
    html = client.get(url("member", "inspect", member.pk)).content.decode()
    assert f"手机号：{old_phone} → 139 1234 5678" in html


def test_the_phone_is_hidden_in_the_history_from_those_who_may_not_see_it(world):
    member = world.a.member
    member.phone = "139 1234 5678"
    member.save()
    staff_elsewhere = world.b.staff  # the member never reported to community B

    timeline = admin_timeline(obj=member, user=staff_elsewhere)

    values = [(c.old, c.new) for e in timeline.entries for c in e.changes if c.name == "phone"]
    assert values and all(v == (str(HIDDEN_VALUE), str(HIDDEN_VALUE)) for v in values)
    assert (
        admin_timeline(obj=member, user=world.a.staff).entries[0].changes[0].new == "139 1234 5678"
    )


def test_pages_link_to_wagtails_own_history(world, client):
    activity = world.a.activity
    client.force_login(factories.UserFactory(username="root", is_superuser=True))
    html = client.get(f"/admin/pages/{activity.pk}/edit/").content.decode()
    assert f"/admin/pages/{activity.pk}/history/" in html
    assert client.get(f"/admin/pages/{activity.pk}/history/").status_code == 200
