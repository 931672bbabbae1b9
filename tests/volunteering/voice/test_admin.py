"""Residents' voice in the admin: staff record what they heard offline, triage, assign and close
residents' items through the workflow actions (reasons where needed, history of every step),
record good deeds; staff of another community neither see nor touch them, and the resident's
name and phone stay with the community's staff and the city."""

import pytest
from django.contrib.messages import get_messages

from tests import factories
from tests.factories import admin_user, community_staff
from tests.volunteering.admin.support import url
from volunteering.figures.selectors import figures
from volunteering.reporting.models import Report
from volunteering.voice.models import Feedback, GoodDeed


@pytest.fixture
def world(site_tree):
    a, b = site_tree.community, site_tree.other_community
    member = factories.MemberFactory(real_name="张律师")
    factories.ReportFactory(member=member, community=a, state=Report.State.CONFIRMED)
    outsider = factories.MemberFactory(real_name="李四")
    factories.ReportFactory(member=outsider, community=b, state=Report.State.CONFIRMED)
    return {
        "a": a,
        "b": b,
        "staff_a": community_staff(a, "staff-a"),
        "staff_b": community_staff(b, "staff-b"),
        "member": member,
        "outsider": outsider,
        "team": factories.TeamFactory(community=a, name="法律服务队"),
        "team_b": factories.TeamFactory(community=b, name="方城调解队"),
        "item": factories.FeedbackFactory(
            community=a, kind="help", name="王阿姨", phone="13912345678", text="家里水管漏水"
        ),
    }


def act(client, feedback, action, **data):
    return client.post(url("feedback", "action", feedback.pk, action), data)


def streamed(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def transitions(feedback) -> list[tuple[str, str, str, str]]:
    """(transition, from, to, reason) of each transition in the item's history, oldest first."""
    rows = feedback.history.exclude(history_transition="").order_by("history_date", "history_id")
    return list(
        rows.values_list(
            "history_transition", "history_source_state", "history_target_state", "history_reason"
        )
    )


def test_staff_record_an_item_heard_at_a_forum(world, client):
    client.force_login(world["staff_a"])
    response = client.post(
        url("feedback", "add"),
        {
            "community": world["a"].pk,
            "kind": "suggestion",
            "channel": "forum",
            "heard_on": "2024-05-10",
            "text": "建议在小区增设电动车充电桩。",
            "name": "",
            "phone": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = Feedback.objects.get(channel="forum")
    assert (item.state, item.recorded_by, str(item.heard_on)) == (
        "accepted",
        world["staff_a"],
        "2024-05-10",
    )
    assert transitions(item) == [("record", "new", "accepted", "")]
    assert item.history.get().history_user == world["staff_a"]
    assert figures(community=world["a"]).suggestions_heard == 1


def test_recording_is_refused_for_a_community_not_ones_own(world, client):
    client.force_login(world["staff_a"])
    data = {"community": world["b"].pk, "kind": "help", "channel": "visit", "text": "需要帮助"}
    response = client.post(url("feedback", "add"), data)
    assert response.status_code == 200  # the form refuses the choice
    assert not Feedback.objects.filter(community=world["b"]).exists()


def test_triage_assignment_and_closure_with_history_and_counts(world, client):
    item, staff = world["item"], world["staff_a"]
    client.force_login(staff)

    index = client.get(url("feedback", "index")).content.decode()
    assert "受理" in index and "不予受理" in index  # the actions available now, as buttons

    assert act(client, item, "accept").status_code == 302
    item.refresh_from_db()
    assert item.state == "accepted"

    form_page = client.get(url("feedback", "action", item.pk, "assign")).content.decode()
    assert "张律师" in form_page and "法律服务队" in form_page
    assert "李四" not in form_page and "方城调解队" not in form_page  # not of this community

    act(client, item, "assign", member=world["member"].pk, reason="请张律师上门查看")
    item.refresh_from_db()
    assert (item.state, item.assigned_member) == ("assigned", world["member"])

    refused = act(client, item, "resolve", reason="")  # the reply is required
    assert refused.status_code == 200
    assert "必需字段" in refused.content.decode()
    item.refresh_from_db()
    assert item.state == "assigned"

    act(client, item, "resolve", reason="已联系物业更换水管。")
    item.refresh_from_db()
    assert (item.state, item.outcome, item.outcome_note) == (
        "closed",
        "resolved",
        "已联系物业更换水管。",
    )
    assert item.closed_at is not None
    assert transitions(item) == [
        ("accept", "submitted", "accepted", ""),
        ("assign", "accepted", "assigned", "请张律师上门查看"),
        ("resolve", "assigned", "closed", "已联系物业更换水管。"),
    ]
    assert {r.history_user for r in item.history.exclude(history_transition="")} == {staff}
    assert figures(community=world["a"]).difficulties_solved == 1

    inspect = client.get(url("feedback", "inspect", item.pk)).content.decode()
    assert "已联系物业更换水管。" in inspect
    assert "重新办理" in inspect  # reopening is offered on a closed item


def test_assigning_someone_of_another_community_is_refused(world, client):
    item = world["item"]
    client.force_login(world["staff_a"])
    act(client, item, "accept")
    response = act(client, item, "assign", member=world["outsider"].pk, team=world["team_b"].pk)
    assert response.status_code == 200  # invalid choices
    item.refresh_from_db()
    assert item.state == "accepted"
    nobody = act(client, item, "assign")
    assert "请选择承办的党员或服务队" in nobody.content.decode()


def test_turning_down_needs_a_reason_the_resident_will_read(world, client):
    item = world["item"]
    client.force_login(world["staff_a"])
    act(client, item, "reject", reason="")
    item.refresh_from_db()
    assert item.state == "submitted"

    act(client, item, "reject", reason="与此前的留言重复。")
    item.refresh_from_db()
    assert (item.state, item.outcome_note) == ("rejected", "与此前的留言重复。")
    assert figures(community=world["a"]).difficulties_solved == 0

    act(client, item, "reopen", reason="居民补充了新情况")
    item.refresh_from_db()
    assert (item.state, item.outcome_note, item.closed_at) == ("accepted", "", None)


def test_an_action_not_possible_now_is_explained(world, client):
    item = world["item"]
    client.force_login(world["staff_a"])
    response = act(client, item, "resolve", reason="已办结")  # not accepted yet
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("当前状态（待受理）下不能执行" in m for m in messages)
    item.refresh_from_db()
    assert item.state == "submitted"


def test_staff_of_another_community_neither_see_nor_touch_an_item(world, client):
    item = world["item"]
    client.force_login(world["staff_b"])
    index = client.get(url("feedback", "index")).content.decode()
    assert "家里水管漏水" not in index
    for view in ("inspect", "edit", "history"):
        assert client.get(url("feedback", view, item.pk)).status_code == 404
    assert client.get(url("feedback", "action", item.pk, "accept")).status_code == 404
    assert act(client, item, "accept").status_code == 404
    export = client.get(url("feedback", "index") + "?export=csv")
    assert "家里水管漏水" not in streamed(export)
    item.refresh_from_db()
    assert item.state == "submitted"
    assert item.history.count() == 1  # the fixture's


def test_name_and_phone_for_the_communitys_staff_and_the_city_only(world, client, city):
    item = world["item"]
    for user in (world["staff_a"], city):
        client.force_login(user)
        html = client.get(url("feedback", "inspect", item.pk)).content.decode()
        assert "王阿姨" in html and "13912345678" in html
    # Exports leave them out, even for those who may see them.
    client.force_login(world["staff_a"])
    export = streamed(client.get(url("feedback", "index") + "?export=csv"))
    assert "家里水管漏水" in export
    assert "13912345678" not in export and "王阿姨" not in export


def test_someone_with_no_role_gets_nothing(world, client):
    client.force_login(admin_user("editor-only"))
    assert client.get(url("feedback", "index")).status_code in (302, 403)
    assert client.get(url("feedback", "inspect", world["item"].pk)).status_code in (302, 403, 404)
    client.logout()
    assert client.get(url("feedback", "index")).status_code == 302


def test_staff_record_a_good_deed_and_it_counts(world, client):
    client.force_login(world["staff_a"])
    response = client.post(
        url("gooddeed", "add"),
        {
            "community": world["a"].pk,
            "title": "为独居老人更换门锁",
            "done_on": "2024-06-01",
            "members": [world["member"].pk],
            "teams": [world["team"].pk],
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    deed = GoodDeed.objects.get()
    assert list(deed.members.all()) == [world["member"]]
    assert deed.recorded_by == world["staff_a"]
    assert deed.history.get().history_user == world["staff_a"]
    assert figures(community=world["a"]).good_deeds_done == 1
    assert "为独居老人更换门锁" in client.get(url("gooddeed", "index")).content.decode()

    client.force_login(world["staff_b"])
    assert client.get(url("gooddeed", "edit", deed.pk)).status_code == 404
    assert "为独居老人更换门锁" not in client.get(url("gooddeed", "index")).content.decode()


def test_a_good_deed_names_only_people_of_its_community(world, client):
    client.force_login(world["staff_a"])
    response = client.post(
        url("gooddeed", "add"),
        {"community": world["a"].pk, "title": "义诊", "members": [world["outsider"].pk]},
    )
    assert response.status_code == 200
    assert not GoodDeed.objects.exists()


def test_the_list_costs_the_same_with_more_items(world, client, django_assert_max_num_queries):
    client.force_login(world["staff_a"])
    client.get(url("feedback", "index"))
    factories.FeedbackFactory.create_batch(
        25, community=world["a"], state="assigned", assigned_team=world["team"]
    )
    with django_assert_max_num_queries(40):
        assert client.get(url("feedback", "index")).status_code == 200


@pytest.mark.parametrize("community", ["", "other", "999999"])
def test_a_good_deed_without_a_community_of_ones_own_is_an_error_not_a_crash(
    world, client, community
):
    # Once a 500: the form read the instance's community when none was chosen.
    client.force_login(world["staff_a"])
    chosen = world["b"].pk if community == "other" else community
    response = client.post(
        url("gooddeed", "add"),
        {"community": chosen, "title": "义诊", "members": [world["member"].pk]},
    )
    assert response.status_code == 200
    assert "error" in response.content.decode()
    assert not GoodDeed.objects.exists()
