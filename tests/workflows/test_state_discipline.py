"""State fields change only through workflow transitions.

Every model of the project with a state field is registered with a StateMachine whose
transitions reach every state from creation; a direct write is refused when saved; and no code
outside `workflows/statemachine.py` writes a state field by assignment, constructor, create()
or update()."""

import ast
import datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import timezone

from tests import factories
from volunteering.menu import services as menu
from volunteering.menu.models import Post
from volunteering.privacy.services import closure_request
from volunteering.reporting import services as reports
from volunteering.signups import services as signups
from volunteering.teams import services as teams
from volunteering.teams.models import Team
from workflows.statemachine import (
    NEW,
    StateWriteOutsideWorkflow,
    fixture_states,
    is_state_field,
    registry,
)

PROJECT_APPS = {"portal", "news", "volunteering", "workflows"}
ROOT = Path(settings.BASE_DIR)
EXCLUDED_DIRS = {"tests", "migrations", ".venv", "node_modules", "bench", "__pycache__"}
# The one module allowed to write state fields.
STATE_WRITER = ROOT / "workflows" / "statemachine.py"
WRITING_METHODS = {"create", "update", "get_or_create", "update_or_create"}


def _project_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and not hasattr(model, "instance_type")
    ]


# Status columns that are not decisions anyone takes, so not workflow states: a letter's
# delivery records what the mail and text systems answered, for tens of thousands of rows at a
# time (bulk writes); the letter's audit log records each send and resend, the delivery its
# own times (sent_at, read_at). docs/letters.md.
NOT_WORKFLOW_STATES = {("Delivery", "status")}


def _looks_like_state(field) -> bool:
    if (field.model.__name__, field.name) in NOT_WORKFLOW_STATES:
        return False
    return is_state_field(field) or (field.name in ("state", "status") and field.choices)


def _state_fields():
    return [
        (model, field)
        for model in _project_models()
        for field in model._meta.concrete_fields
        if _looks_like_state(field)
    ]


def test_there_are_state_fields_to_check():
    assert len(_state_fields()) >= 6


@pytest.mark.parametrize(
    "model, field", _state_fields(), ids=lambda x: getattr(x, "__name__", getattr(x, "name", ""))
)
def test_every_state_field_is_declared_and_registered(model, field):
    assert is_state_field(field), f"{model.__name__}.{field.name}: declare it with state_field()"
    assert model in registry, f"{model.__name__} has no StateMachine registered"
    assert registry[model].field == field.name
    assert registry[model].model is model


@pytest.mark.parametrize("model", list(registry), ids=lambda m: m.__name__)
def test_every_state_is_reached_from_creation_by_transitions(model):
    machine = registry[model]
    choices = {value for value, _label in model._meta.get_field(machine.field).flatchoices}
    targets = {t.target for t in machine.transitions}
    assert targets <= choices, "a transition leads to a state the field does not know"
    assert machine.initial_transitions(), "no transition creates the object"
    reached, frontier = set(), {NEW}
    while frontier:
        state = frontier.pop()
        for transition in machine.transitions:
            if transition.starts_from(state) and transition.target not in reached:
                reached.add(transition.target)
                frontier.add(transition.target)
    assert reached == choices


# --- The save guard -------------------------------------------------------------------------


@pytest.fixture
def city(db):
    # Overrides the conftest's `city`: a superuser, whom no guard but the state machine's stops.
    return factories.UserFactory(username="city-admin", is_superuser=True)


def _report(tree, city):
    member = factories.MemberFactory()
    return reports.report_create(member=member, community=tree.community, kind="voluntary")


def _need(tree, city):
    return menu.need_create(community=tree.community, title="陪同就医", by=city)


def _claim(tree, city):
    return menu.claim_create(need=_need(tree, city), member=factories.MemberFactory())


def _membership(tree, city):
    team = Team.objects.create(name="法律服务队", community=tree.community)
    return teams.team_join_request(team=team, member=factories.MemberFactory())


def _pledge(tree, city):
    post = Post.objects.create(community=tree.community, title="楼栋联络员")
    today = timezone.localdate()
    return menu.pledge_create(
        post=post,
        member=factories.MemberFactory(),
        commitment="每周联系楼栋居民",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
    )


def _signup(tree, city):
    activity = factories.ActivityPageFactory(parent=tree.community)
    signup, _created = signups.signup_create(activity=activity, member=factories.MemberFactory())
    return signup


def _feedback(tree, city):
    from volunteering.voice.services import feedback_record

    return feedback_record(
        community=tree.community, kind="help", channel="visit", text="楼道灯坏了", by=city
    )


def _assessment(tree, city):
    from volunteering.assessment.services import assessment_save

    member = factories.MemberFactory()
    factories.ReportFactory(member=member, community=tree.community, state="confirmed")
    year = timezone.localdate().year
    return assessment_save(
        member=member, community=tree.community, year=year, grade="", comment="", by=city
    )


def _closure(tree, city):
    member = factories.MemberFactory()
    return closure_request(member=member, by=member.user)


BUILDERS = {
    "AccountClosure": _closure,
    "Assessment": _assessment,
    "Feedback": _feedback,
    "Report": _report,
    "Need": _need,
    "NeedClaim": _claim,
    "TeamMembership": _membership,
    "PostPledge": _pledge,
    "SignUp": _signup,
}


def test_every_registered_model_is_checked_here():
    assert {model.__name__ for model in registry} <= set(BUILDERS)


def _other_state(obj):
    machine = registry[type(obj)]
    field = type(obj)._meta.get_field(machine.field)
    current = getattr(obj, machine.field)
    return next(value for value, _label in field.flatchoices if value != current)


REGISTERED = sorted(model.__name__ for model in registry)


@pytest.mark.parametrize("name", REGISTERED)
def test_a_direct_state_write_is_refused(name, site_tree, city):
    obj = BUILDERS[name](site_tree, city)
    model = type(obj)
    original = obj.state
    obj.state = _other_state(obj)
    with pytest.raises(StateWriteOutsideWorkflow):
        obj.save()
    with pytest.raises(StateWriteOutsideWorkflow):
        obj.save(update_fields=["state"])
    fresh = model.objects.get(pk=obj.pk)
    assert fresh.state == original
    # Other fields still save, also after a refresh that brought a newer state.
    fresh.save()
    fresh.refresh_from_db()
    fresh.save()


@pytest.mark.parametrize("name", REGISTERED)
def test_creating_outside_the_workflow_is_refused(name, site_tree, city):
    obj = BUILDERS[name](site_tree, city)
    model = type(obj)
    copy = model.objects.get(pk=obj.pk)
    copy.pk = copy.id = None
    copy._state.adding = True
    with pytest.raises(StateWriteOutsideWorkflow):
        copy.save()


def test_a_stale_object_saves_when_the_state_it_holds_is_the_stored_one(site_tree, city):
    report = _report(site_tree, city)
    stale = type(report).objects.get(pk=report.pk)
    reports.report_confirm(report=report, by=city)
    stale.refresh_from_db()
    stale.note = "补充说明"
    stale.save()
    assert type(report).objects.get(pk=report.pk).state == "confirmed"


def test_fixtures_may_set_a_state_inside_the_escape_hatch(site_tree, city):
    report = _report(site_tree, city)
    with fixture_states():
        report.state = "confirmed"
        report.save()
    report.refresh_from_db()
    assert report.state == "confirmed"


# --- No state write in the source -----------------------------------------------------------


def _model_names() -> set[str]:
    return {model.__name__ for model in registry}


def _state_names() -> set[str]:
    return {machine.field for machine in registry.values()}


def _keyword_names(call: ast.Call) -> set[str]:
    names = {kw.arg for kw in call.keywords if kw.arg}
    for kw in call.keywords:
        if kw.arg == "defaults" and isinstance(kw.value, ast.Dict):
            names |= {k.value for k in kw.value.keys if isinstance(k, ast.Constant)}
    return names


def _callee_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def state_writes(source: str, *, models: set[str], fields: set[str]) -> list[str]:
    """Where `source` writes a state field (line: what), outside the state machine."""
    found = []
    for node in ast.walk(ast.parse(source)):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr in fields:
                found.append(f"{node.lineno}: .{target.attr} =")
        if isinstance(node, ast.Name) and node.id == "fixture_states":
            found.append(f"{node.lineno}: fixture_states")
        if not isinstance(node, ast.Call):
            continue
        name = _callee_name(node)
        written = _keyword_names(node) & fields
        if written and (name in models or name in WRITING_METHODS):
            found.append(f"{node.lineno}: {name}({', '.join(sorted(written))}=…)")
        if name == "setattr" and len(node.args) > 1:
            key = node.args[1]
            if isinstance(key, ast.Constant) and key.value in fields:
                found.append(f"{node.lineno}: setattr(…, {key.value!r})")
        if name == "bulk_update" and "state" in ast.unparse(node):
            found.append(f"{node.lineno}: bulk_update(state)")
    return found


def _project_sources():
    for path in sorted(ROOT.rglob("*.py")):
        parts = set(path.relative_to(ROOT).parts)
        if parts & EXCLUDED_DIRS or path == STATE_WRITER:
            continue
        yield path


def test_the_scan_finds_every_kind_of_state_write():
    source = "\n".join(
        [
            "report.state = 'confirmed'",
            "SignUp(activity=a, member=m, state=target)",
            "Report.objects.create(member=m, state='pending')",
            "SignUp.objects.filter(pk=1).update(state='approved')",
            "Need.objects.get_or_create(title='x', defaults={'state': 'open'})",
            "setattr(claim, 'state', 'done')",
            "with fixture_states(): pass",
            "SignUp.objects.bulk_update(rows, ['state'])",
            # Not writes:
            "SignUp.objects.filter(state='approved').count()",
            "Report(member=m)",
        ]
    )
    found = state_writes(source, models=_model_names(), fields=_state_names())
    assert sorted(int(line.split(":")[0]) for line in found) == list(range(1, 9))


def test_no_code_outside_the_state_machine_writes_a_state_field():
    sources = list(_project_sources())
    assert any(p.name == "services.py" for p in sources)
    models, fields = _model_names(), _state_names()
    offences = [
        f"{path.relative_to(ROOT)}:{where}"
        for path in sources
        for where in state_writes(path.read_text(), models=models, fields=fields)
    ]
    assert offences == []
