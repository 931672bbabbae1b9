"""The points ledger (奉献积分): awards made when work is recorded through the admin (attendance,
pledges fulfilled, residents' requests resolved), each once; reversals when attendance is
changed; corrections by staff as new entries; nothing ever edited or deleted; rule changes
apply from their date and leave past entries alone."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tests import factories
from tests.volunteering.admin.support import url
from volunteering.menu.models import PostPledge
from volunteering.points.models import LEDGER_IS_APPEND_ONLY, PointEntry, PointRule
from volunteering.points.services import (
    point_correction_create,
    rule_in_force,
    signup_points_settle,
)
from volunteering.signups.models import SignUp
from volunteering.signups.workflows import SIGNUP_WORKFLOW
from volunteering.voice.models import Feedback
from workflows.statemachine import fixture_states

RULE_DAY = datetime.date(2020, 1, 1)


def past_signup(world, *, hours=2, days_ago=2, state=SignUp.State.APPROVED) -> SignUp:
    starts_at = timezone.now() - datetime.timedelta(days=days_ago)
    activity = factories.ActivityPageFactory(
        parent=world["community"],
        title="清扫楼道",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
    )
    with fixture_states():
        return SignUp.objects.create(
            activity=activity, member=world["member"], state=state, queued_at=starts_at
        )


def entries(member) -> list[tuple]:
    return list(
        PointEntry.objects.filter(member=member)
        .order_by("pk")
        .values_list("rule_key", "kind", "amount")
    )


def mark(client, signup, action, **data):
    return client.post(url("signup", "action", signup.pk, action), data)


# --- Awards on each transition ------------------------------------------------------------


def test_attendance_marked_by_staff_earns_points_per_hour(world, client):
    signup = past_signup(world)
    client.force_login(world["staff"])
    assert mark(client, signup, "mark_attended", hours="1.5").status_code == 302
    assert entries(world["member"]) == [("hours_attended", "award", Decimal("3.0"))]
    entry = PointEntry.objects.get()
    assert (entry.community, entry.source, entry.created_by) == (
        world["community"],
        signup,
        world["staff"],
    )
    assert "清扫楼道" in entry.reason_text and "1.5" in entry.reason_text


def test_without_recorded_hours_the_activity_duration_counts(world):
    signup = past_signup(world, hours=3)
    SIGNUP_WORKFLOW.perform(signup, "check_in", by=world["member"].user)
    assert entries(world["member"]) == [("hours_attended", "award", Decimal("6.0"))]


def test_a_no_show_costs_the_deduction(world, client):
    signup = past_signup(world)
    client.force_login(world["staff"])
    assert mark(client, signup, "mark_no_show").status_code == 302
    assert entries(world["member"]) == [("no_show", "award", Decimal("-3.0"))]


def test_changing_attendance_reverses_the_earlier_award_with_a_correction(world, client):
    signup = past_signup(world)
    client.force_login(world["staff"])
    mark(client, signup, "mark_attended", hours="2")
    mark(client, signup, "mark_no_show")
    assert entries(world["member"]) == [
        ("hours_attended", "award", Decimal("4.0")),
        ("hours_attended", "correction", Decimal("-4.0")),
        ("no_show", "award", Decimal("-3.0")),
    ]
    mark(client, signup, "mark_attended", hours="2")
    assert entries(world["member"])[3:] == [
        ("no_show", "correction", Decimal("3.0")),
        ("hours_attended", "correction", Decimal("4.0")),
    ]
    total = sum(e[2] for e in entries(world["member"]))
    assert total == Decimal("4.0")
    reversal = PointEntry.objects.filter(kind="correction").order_by("pk").first()
    assert reversal.reason_text.startswith("撤销：参加活动“清扫楼道”")


def test_corrected_hours_add_the_difference_at_the_rate_already_applied(world, client):
    signup = past_signup(world)
    client.force_login(world["staff"])
    mark(client, signup, "mark_attended", hours="2")
    PointRule.objects.create(
        key="hours_attended", amount=9, valid_from=timezone.localdate() - datetime.timedelta(1)
    )
    assert mark(client, signup, "set_hours", hours="1").status_code == 302  # 修改服务时长
    assert entries(world["member"]) == [
        ("hours_attended", "award", Decimal("4.0")),
        ("hours_attended", "correction", Decimal("-2.0")),
    ]
    mark(client, signup, "set_hours", hours="1")  # the same again: nothing
    assert len(entries(world["member"])) == 2


def test_a_corrected_hours_entry_says_what_changed_without_repeating_correction(world, client):
    signup = past_signup(world)
    client.force_login(world["staff"])
    mark(client, signup, "mark_attended", hours="2")
    mark(client, signup, "set_hours", hours="3")
    correction = PointEntry.objects.get(kind="correction")
    assert correction.reason_text == "活动“清扫楼道”的服务时长改为 3 小时"
    client.force_login(world["member"].user)
    page = client.get(reverse("service:my_points")).content.decode()
    row = next(line for line in page.splitlines() if "服务时长改为 3 小时" in line)
    assert row.count("更正") == 1  # the entry's kind, once


def test_a_fulfilled_pledge_earns_points(world, client):
    post = factories.PostFactory(community=world["community"], title="楼栋联络员")
    with fixture_states():
        pledge = PostPledge.objects.create(
            post=post,
            member=world["member"],
            commitment="每周走访",
            starts_on=datetime.date(2024, 1, 1),
            ends_on=datetime.date(2024, 12, 31),
            state=PostPledge.State.ACCEPTED,
        )
    client.force_login(world["staff"])
    response = client.post(url("postpledge", "action", pledge.pk, "fulfil"), {})
    assert response.status_code == 302
    assert entries(world["member"]) == [("pledge_fulfilled", "award", Decimal("10.0"))]


def resolve(client, item, **assignee):
    assert client.post(url("feedback", "action", item.pk, "assign"), assignee).status_code == 302
    response = client.post(url("feedback", "action", item.pk, "resolve"), {"reason": "已修好"})
    assert response.status_code == 302


def test_a_resolved_request_earns_points_for_the_assigned_member(world, client):
    item = factories.FeedbackFactory(community=world["community"], state="accepted")
    client.force_login(world["staff"])
    resolve(client, item, member=world["member"].pk)
    assert entries(world["member"]) == [("feedback_resolved", "award", Decimal("5.0"))]
    # Reopened: the points go back; answered instead of resolved: none.
    client.post(url("feedback", "action", item.pk, "reopen"), {"reason": "居民反映未修好"})
    client.post(url("feedback", "action", item.pk, "answer"), {"reason": "已答复"})
    assert sum(e[2] for e in entries(world["member"])) == 0


def test_a_resolved_request_of_a_team_earns_points_for_its_approved_members(world, client):
    team = factories.TeamFactory(community=world["community"], name="水电维修队")
    other = factories.MemberFactory(real_name="李四")
    applicant = factories.MemberFactory(real_name="王五")
    with fixture_states():
        for member, state in [(world["member"], "approved"), (other, "approved")]:
            team.memberships.create(member=member, state=state)
        team.memberships.create(member=applicant, state="requested")
    item = factories.FeedbackFactory(community=world["community"], state="accepted")
    client.force_login(world["staff"])
    resolve(client, item, team=team.pk)
    awarded = set(PointEntry.objects.values_list("member__real_name", flat=True))
    assert awarded == {"杨光明", "李四"}
    assert Feedback.objects.get(pk=item.pk).outcome == "resolved"


# --- Idempotence --------------------------------------------------------------------------


def test_replaying_a_transition_does_not_award_twice(world):
    signup = past_signup(world)
    SIGNUP_WORKFLOW.perform(signup, "check_in", by=world["member"].user)
    for _replay in range(3):
        signup_points_settle(signup=signup)
    assert len(entries(world["member"])) == 1


def test_the_database_refuses_a_second_award_for_the_same_source(world):
    signup = past_signup(world)
    SIGNUP_WORKFLOW.perform(signup, "check_in", by=world["member"].user)
    first = PointEntry.objects.get()
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        PointEntry.objects.create(
            member=first.member,
            community=first.community,
            amount=first.amount,
            rule=first.rule,
            rule_key=first.rule_key,
            source_type=first.source_type,
            source_id=first.source_id,
            reason="again",
        )


# --- Rules change from their date, never backwards ----------------------------------------


def test_a_rule_change_applies_from_its_date_and_leaves_past_entries_alone(world, client, city):
    before = past_signup(world, days_ago=20)
    client.force_login(world["staff"])
    mark(client, before, "mark_attended", hours="2")
    change_day = timezone.localdate() - datetime.timedelta(days=10)
    client.force_login(city)
    response = client.post(
        url("pointrule", "add"),
        {"key": "hours_attended", "amount": "5", "valid_from": change_day.isoformat(), "note": ""},
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    after = past_signup(world, days_ago=2)
    client.force_login(world["staff"])
    mark(client, after, "mark_attended", hours="2")
    amounts = {e.source_id: e.amount for e in PointEntry.objects.all()}
    assert amounts == {before.pk: Decimal("4.0"), after.pk: Decimal("10.0")}


def test_a_rule_that_priced_entries_cannot_be_changed_in_the_admin(world, client, city):
    SIGNUP_WORKFLOW.perform(past_signup(world), "check_in", by=world["member"].user)
    rule = PointEntry.objects.get().rule
    client.force_login(city)
    response = client.post(
        url("pointrule", "edit", rule.pk),
        {"key": rule.key, "amount": "7", "valid_from": rule.valid_from.isoformat(), "note": ""},
    )
    assert response.status_code == 200
    assert "不能再修改" in response.content.decode()
    rule.refresh_from_db()
    assert rule.amount == Decimal("2.0")


def test_the_rule_in_force_is_the_latest_that_started_by_the_day(rules):
    PointRule.objects.create(key="no_show", amount=-5, valid_from=datetime.date(2025, 6, 1))
    rule = rule_in_force
    assert rule(key="no_show", on=datetime.date(2025, 5, 31)).amount == -3
    assert rule(key="no_show", on=datetime.date(2025, 6, 1)).amount == -5
    assert rule(key="no_show", on=datetime.date(2013, 1, 1)) is None


def test_staff_of_a_community_may_not_edit_rules(world, client):
    client.force_login(world["staff"])
    assert client.get(url("pointrule", "add")).status_code in (302, 403)
    assert PointRule.objects.count() == 4 + 4  # seeded defaults and this module's


# --- Append-only --------------------------------------------------------------------------


def test_an_entry_cannot_be_updated_or_deleted(world):
    entry = point_correction_create(
        member=world["member"],
        community=world["community"],
        amount=Decimal("2"),
        reason="补录",
        by=world["staff"],
    )
    entry.amount = Decimal("200")
    with pytest.raises(ValidationError) as refused:
        entry.save()
    assert LEDGER_IS_APPEND_ONLY in refused.value.messages
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        PointEntry.objects.filter(pk=entry.pk).update(amount=100)
    with pytest.raises(ValidationError):
        PointEntry.objects.all().delete()
    assert PointEntry.objects.get().amount == Decimal("2.0")


def test_the_admin_has_no_edit_or_delete_view_for_entries(world, client, city):
    for view in ("edit", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"volunteering_pointentry:{view}", args=(1,))
    client.force_login(city)
    index = client.get(url("pointentry", "index"))
    assert index.status_code == 200
    assert client.get(f"{url('pointentry', 'index')}1/edit/").status_code == 404


def test_staff_correct_points_with_a_new_entry_and_a_reason(world, client):
    client.force_login(world["staff"])
    data = {
        "community": world["community"].pk,
        "member": world["member"].pk,
        "amount": "-1.5",
        "reason": "",
    }
    assert client.post(url("pointentry", "add"), data).status_code == 200  # reason required
    data["reason"] = "重复签到，扣回"
    assert client.post(url("pointentry", "add"), data).status_code == 302
    entry = PointEntry.objects.get()
    assert (entry.kind, entry.amount, entry.rule, entry.created_by) == (
        "correction",
        Decimal("-1.5"),
        None,
        world["staff"],
    )
    inspect = client.get(url("pointentry", "inspect", entry.pk)).content.decode()
    assert "重复签到，扣回" in inspect


def test_staff_may_not_correct_points_in_another_community(world, client):
    client.force_login(world["other_staff"])
    data = {
        "community": world["community"].pk,
        "member": world["member"].pk,
        "amount": "5",
        "reason": "私自加分",
    }
    response = client.post(url("pointentry", "add"), data)
    assert response.status_code == 200  # the community is not a choice for them
    assert not PointEntry.objects.exists()
    with pytest.raises(Exception):  # noqa: B017 — the service refuses too
        point_correction_create(
            member=world["member"],
            community=world["community"],
            amount=Decimal(5),
            reason="私自加分",
            by=world["other_staff"],
        )


def test_staff_see_only_their_communitys_entries(world, client):
    point_correction_create(
        member=world["member"],
        community=world["community"],
        amount=Decimal("2"),
        reason="麒麟社区补录",
        by=world["staff"],
    )
    client.force_login(world["other_staff"])
    assert "麒麟社区补录" not in client.get(url("pointentry", "index")).content.decode()
    client.force_login(world["staff"])
    assert "麒麟社区补录" in client.get(url("pointentry", "index")).content.decode()


def test_an_entrys_history_opens_without_links_to_views_the_ledger_has_not(site_tree, admin_client):
    """The ledger has no edit or delete view: its history page linked to the edit URL (a 500)."""
    from django.urls import reverse

    entry = factories.PointEntryFactory(community=site_tree.community.specific)
    response = admin_client.get(reverse("volunteering_pointentry:history", args=[entry.pk]))
    assert response.status_code == 200
    assert f"/{entry.pk}/edit/" not in response.content.decode()
