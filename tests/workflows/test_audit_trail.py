"""Every transition of every workflow leaves one django-simple-history record (user and reason)
and one Wagtail audit-log entry with the object's community."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import ModelLogEntry

from tests import factories
from volunteering.menu.models import NeedClaim, PostPledge
from volunteering.signups import services as signups
from volunteering.signups.models import SignUp
from volunteering.teams.models import TeamMembership
from workflows.audit import TRANSITION_ACTION, TransitionFormatter
from workflows.statemachine import NEW, fixture_states, registry

REASON = "核实无误"


class World:
    def __init__(self, tree):
        self.community = tree.community
        self.city = factories.UserFactory(username="city-auditor", is_superuser=True)
        self.owner = factories.MemberFactory(real_name="张三")
        # Starting within the hour: check-in and attendance are open, cancelling still is.
        self.activity = factories.ActivityPageFactory(
            parent=tree.community, starts_at=timezone.now() + datetime.timedelta(minutes=30)
        )


def _report(world, **state):
    from volunteering.reporting.models import Report

    return Report(member=world.owner, community=world.community, kind="voluntary", **state)


def _need(world, **state):
    from volunteering.menu.models import Need

    return Need(community=world.community, title="陪同就医", places=3, **state)


def _claim(world, **state):
    need = factories.NeedFactory(community=world.community)
    return NeedClaim(need=need, member=world.owner, **state)


def _membership(world, **state):
    team = factories.TeamFactory(community=world.community)
    return TeamMembership(team=team, member=world.owner, **state)


def _pledge(world, **state):
    today = timezone.localdate()
    post = factories.PostFactory(community=world.community)
    return PostPledge(
        post=post,
        member=world.owner,
        commitment="每周联系楼栋居民",
        # A period ending today: fulfilling it is allowed from its last day on.
        starts_on=today,
        ends_on=today,
        **state,
    )


def _signup(world, **state):
    return SignUp(activity=world.activity, member=world.owner, queued_at=timezone.now(), **state)


def _feedback(world, **state):
    from volunteering.voice.models import Feedback, new_receipt_code

    if state.get("state") == "closed":
        state["outcome"] = "resolved"
    if state.get("state") == "assigned":
        state["assigned_member"] = world.owner
    return Feedback(
        community=world.community, kind="help", text="楼道灯坏了", code=new_receipt_code(), **state
    )


def _prepare_feedback(obj, transition, world):
    if transition.name == "assign":
        obj.assigned_member = world.owner


def _assessment(world, **state):
    from volunteering.assessment.models import Assessment

    # A year's assessment of the owner, who reported (the form's guard needs a grade to submit).
    return Assessment(
        member=world.owner, community=world.community, year=2026, grade="competent", **state
    )


def _closure(world, **state):
    from volunteering.privacy.models import AccountClosure

    return AccountClosure(member=world.owner, organisation=world.owner.organisation, **state)


NEW_OBJECTS = {
    "AccountClosure": _closure,
    "Assessment": _assessment,
    "Report": _report,
    "Need": _need,
    "NeedClaim": _claim,
    "TeamMembership": _membership,
    "PostPledge": _pledge,
    "SignUp": _signup,
    "Feedback": _feedback,
}
PREPARE = {"Feedback": _prepare_feedback}
# A request to close an account belongs to an organisation, not to a community: no scope.
UNSCOPED = {"AccountClosure"}

TRANSITIONS = [
    (model, transition) for model, machine in registry.items() for transition in machine.transitions
]


def _object_before(world, model, transition):
    """A saved object in the transition's first source state, or a new one (not saved)."""
    source = tuple(transition.source)[0]
    build = NEW_OBJECTS[model.__name__]
    if source == NEW:
        return build(world)
    obj = build(world, state=source)
    with fixture_states():
        obj.save()
    return model.objects.get(pk=obj.pk)


def _actor(world, obj, transition):
    for user in (world.city, world.owner.user):
        if transition.allowed(user, obj):
            return user
    raise AssertionError(f"nobody in this world may {transition.name}")


def test_every_registered_model_has_a_builder_here():
    assert {model.__name__ for model in registry} <= set(NEW_OBJECTS)


@pytest.mark.parametrize(
    "model, transition", TRANSITIONS, ids=[f"{m.__name__}.{t.name}" for m, t in TRANSITIONS]
)
def test_a_transition_leaves_one_history_record_and_one_log_entry(site_tree, model, transition):
    world = World(site_tree)
    machine = registry[model]
    obj = _object_before(world, model, transition)
    source = machine.state_of(obj)
    records_before = model.history.filter(id=obj.pk).count() if obj.pk else 0
    by = _actor(world, obj, transition)
    PREPARE.get(model.__name__, lambda *a: None)(obj, transition, world)
    run = machine.start if source == NEW else machine.perform
    run(obj, transition.name, by=by, reason=REASON)

    records = model.history.filter(id=obj.pk).order_by("-history_date", "-history_id")
    assert records.count() == records_before + 1
    latest = records.first()
    assert latest.history_user_id == by.pk
    assert (latest.history_transition, latest.history_reason) == (transition.name, REASON)
    assert (latest.history_source_state, latest.history_target_state) == (
        source,
        transition.target,
    )

    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=str(obj.pk)
    )
    assert entries.count() == 1
    entry = entries.get()
    assert entry.action == TRANSITION_ACTION
    assert entry.user_id == by.pk
    scope = None if model.__name__ in UNSCOPED else world.community.pk
    assert entry.data["scope"] == scope
    assert entry.data["transition"] == transition.name
    assert (entry.data["from"], entry.data["to"]) == (source, transition.target)
    assert entry.data["reason"] == REASON
    assert entry.data["to_label"] == str(machine.label_of(transition.target, model))


def test_the_log_message_reads_as_a_sentence(site_tree):
    from volunteering.reporting import services as reports

    world = World(site_tree)
    staff = factories.make_staff(world.community)
    report = reports.report_create(member=world.owner, community=world.community, kind="voluntary")
    reports.report_return(report=report, by=staff, reason="请先向挂钩社区报到")
    entry = ModelLogEntry.objects.filter(data__transition="return").get()
    assert entry.message == "退回：待确认 → 已退回（请先向挂钩社区报到）"
    assert entry.comment == "请先向挂钩社区报到"
    submitted = ModelLogEntry.objects.filter(data__transition="submit").get()
    assert submitted.message == "提交报到：新建 → 待确认"
    assert submitted.user == world.owner.user


def test_the_message_falls_back_to_the_recorded_labels(site_tree):
    entry = ModelLogEntry(
        action=TRANSITION_ACTION,
        data={"transition": "gone", "transition_label": "旧操作"}
        | {"from_label": "甲", "to_label": "乙"},
    )
    assert TransitionFormatter().format_message(entry) == "旧操作：甲 → 乙"


def test_promoting_many_from_the_waitlist_keeps_one_record_each(site_tree):
    """The one path that changes several states at once goes through perform for each."""
    world = World(site_tree)
    activity = factories.ActivityPageFactory(parent=site_tree.community, capacity=1)
    first, _created = signups.signup_create(activity=activity, member=factories.MemberFactory())
    waiting = [
        signups.signup_create(activity=activity, member=factories.MemberFactory())[0]
        for _ in range(3)
    ]
    assert {s.state for s in waiting} == {"waitlisted"}
    activity.capacity = 4
    activity.save_revision().publish()
    signups.signup_cancel(signup=first, by=first.member.user)

    for signup in waiting:
        signup.refresh_from_db()
        assert signup.state == "approved"
        promoted = signup.history.filter(history_transition="promote")
        assert promoted.count() == 1
        assert promoted.get().history_user is None  # the system moved it, not the canceller
        entries = ModelLogEntry.objects.filter(object_id=str(signup.pk), data__transition="promote")
        assert entries.count() == 1
        assert entries.get().user is None
        assert entries.get().data["scope"] == world.community.pk


def test_every_volunteering_model_keeps_its_history():
    """Plain models keep django-simple-history; pages, their inline parts (orderables) and
    revisioned snippets (letters) keep Wagtail's revisions and audit log instead."""
    from django.apps import apps
    from wagtail.models import Orderable, Page, RevisionMixin

    revisioned = (Page, Orderable, RevisionMixin)
    plain = [
        model
        for model in apps.get_app_config("volunteering").get_models()
        if not hasattr(model, "instance_type") and not issubclass(model, revisioned)
    ]
    assert len(plain) >= 14
    # A staff member's own delivery preference and the digest's bookkeeping (rewritten every
    # day); a letter's delivery to one member, whose send and read times are on the row and
    # whose sends are in the letter's audit log (tens of thousands of rows per letter): not
    # records of the programme's decisions, so no history rows.
    not_records = {"StaffAlerts", "Delivery"}
    missing = [m.__name__ for m in plain if not hasattr(m, "history")]
    assert sorted(missing) == sorted(not_records)


def test_a_service_file_records_who_opened_it_and_why(site_tree):
    from volunteering.reporting import services as reports
    from volunteering.reporting.models import ServiceFile
    from volunteering.reporting.services import SERVICE_FILE_OPENED

    world = World(site_tree)
    staff = factories.make_staff(world.community)
    report = reports.report_create(member=world.owner, community=world.community, kind="voluntary")
    reports.report_confirm(report=report, by=staff)
    record = ServiceFile.history.get()
    # The system's reason, stored as its code (read in the reader's language).
    assert (record.history_user, record.history_reason_code, record.history_reason) == (
        staff,
        SERVICE_FILE_OPENED.code,
        "",
    )
    assert record.history_transition == ""  # not a transition: the reason says why
