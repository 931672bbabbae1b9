"""`workflows.history`: every history row says, in fields of its own, the transition that made
it, its states and the reason; a timeline says who did what, when, which fields changed (by
verbose name and choice label) and why, in a number of queries that does not grow with the
history."""

import pytest

from tests import factories
from volunteering.menu import services as menu
from volunteering.menu.models import Need
from volunteering.menu.workflows import NEED_WORKFLOW
from volunteering.reporting.models import Report
from volunteering.reporting.services import report_confirm, report_create
from workflows.history import (
    HIDDEN_VALUE,
    TransitionRecord,
    build_timeline,
    historical_models,
    history_sources,
)
from workflows.statemachine import record_actor


def test_every_history_row_of_the_project_has_the_transition_fields():
    assert [m._meta.label for m in historical_models() if not issubclass(m, TransitionRecord)] == []


@pytest.fixture
def staff(site_tree):
    # Overrides the conftest's `staff`: named 王, the actor the timeline test expects.
    return factories.make_staff(site_tree.community, username="qilin-staff", first_name="王")


def _need(community, staff) -> Need:
    return menu.need_create(community=community, title="代购药品", by=staff)


def _cycle(need: Need, staff, times: int) -> None:
    for n in range(times):
        need = menu.need_close(need=need, by=staff, reason=f"第{n}次结束")
        NEED_WORKFLOW.perform(need, "reopen", by=staff)


def test_a_transition_records_its_name_states_and_reason_in_fields_of_the_row(site_tree, staff):
    need = _need(site_tree.community, staff)
    menu.need_close(need=need, by=staff, reason="  已有人完成 ")

    closed, created = need.history.order_by("-history_date", "-history_id")

    assert (
        closed.history_transition,
        closed.history_source_state,
        closed.history_target_state,
        closed.history_reason,
    ) == ("close", "open", "closed", "已有人完成")
    assert closed.history_user == staff
    # creation is a transition too, from the state "new"
    assert (
        created.history_transition,
        created.history_source_state,
        created.history_target_state,
        created.history_reason,
    ) == ("publish", "new", "open", "")


def test_a_save_that_is_not_a_transition_records_a_reason_only_and_only_once(site_tree, staff):
    need = menu.need_close(need=_need(site_tree.community, staff), by=staff, reason="已有人完成")
    need.title = "代购常用药品"
    record_actor(need, by=staff, reason="标题有误")
    need.save()
    need.title = "代购药品（长期）"
    need.save()  # a later save of the same object is neither the transition nor the correction

    latest, corrected = need.history.order_by("-history_date", "-history_id")[:2]
    assert (corrected.history_transition, corrected.history_source_state) == ("", "")
    assert (corrected.history_target_state, corrected.history_reason) == ("", "标题有误")
    assert (latest.history_transition, latest.history_reason) == ("", "")
    entry = build_timeline(history_sources(need)).entries[1]
    assert (entry.kind, entry.action_label, entry.reason) == ("changed", "修改", "标题有误")
    assert not entry.is_transition and (entry.source_label, entry.target_label) == ("", "")
    assert [(c.name, c.old, c.new) for c in entry.changes] == [
        ("title", "代购药品", "代购常用药品")
    ]


def test_a_transition_entry_names_the_user_the_states_and_the_reason(site_tree, staff):
    member = factories.MemberFactory(real_name="杨建国")
    report = report_create(member=member, community=site_tree.community, kind="voluntary")
    report_confirm(report=report, by=staff, note="材料齐全")

    entries = build_timeline(history_sources(report)).entries

    confirm, created = entries
    assert confirm.actor == "王" or confirm.actor == staff.get_username()
    assert confirm.user == staff
    assert (confirm.transition, confirm.reason) == ("confirm", "材料齐全")
    assert (confirm.source, confirm.target) == ("pending", "confirmed")
    assert (confirm.source_label, confirm.target_label) == ("待确认", "已确认")
    changed = {c.label: (c.old, c.new) for c in confirm.changes}
    assert changed["状态"] == ("待确认", "已确认")
    assert created.kind == "created"
    initial = {c.label: c.new for c in created.changes}
    # verbose names, choice labels, related objects by name, booleans read as 是/否
    assert initial["报到类型"] == "自愿报到"
    assert initial["社区"] == "麒麟社区"
    assert initial["在职党员"] == "杨建国"
    assert initial["主报到社区"] == "是"


def test_only_the_changed_fields_are_listed(site_tree, staff):
    need = _need(site_tree.community, staff)
    menu.need_close(need=need, by=staff, reason="已有人完成")
    closed = build_timeline(history_sources(need), omitted=("state_changed_at",)).entries[0]
    assert [c.name for c in closed.changes] == ["state"]
    assert closed.reason == "已有人完成"


def test_a_long_history_is_cut_with_every_entry_diffed_and_bounded_queries(
    site_tree, staff, django_assert_max_num_queries
):
    need = _need(site_tree.community, staff)
    _cycle(need, staff, 40)  # 80 transitions, plus the creation

    with django_assert_max_num_queries(8):
        timeline = build_timeline(history_sources(need), limit=30)

    assert timeline.truncated
    assert len(timeline.entries) == 30
    # The oldest entry shown is diffed against the row before it, outside the window.
    assert all(entry.changes for entry in timeline.entries)
    assert timeline.entries[0].transition == "reopen"
    assert timeline.entries[1].reason == "第39次结束"


def test_hidden_fields_show_that_they_changed_but_not_their_values(db):
    member = factories.MemberFactory(phone="13800000001")
    member.phone = "13900000002"
    member.save()

    changed = build_timeline(history_sources(member), hidden=("phone",)).entries[0]

    [phone] = changed.changes
    assert phone.label == "手机号"
    assert phone.old == phone.new == str(HIDDEN_VALUE)


def test_an_object_without_history_has_an_empty_timeline(site_tree):
    assert build_timeline(history_sources(site_tree.community)).entries == []


def test_a_report_created_through_the_service_starts_its_timeline(site_tree):
    member = factories.MemberFactory()
    report = report_create(member=member, community=site_tree.community, kind="voluntary")
    [created] = build_timeline(history_sources(report)).entries
    assert created.kind == "created"
    assert created.user == member.user
    assert Report.objects.get(pk=report.pk).state == "pending"
