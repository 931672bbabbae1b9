"""The permission matrix of the volunteering workflows (issue #4): for each workflow, each
transition and each role, allowed or refused exactly as the hand-written table
(`matrix_table.MATRIX`) says, through every entry point that offers the transition — the
Wagtail admin, the member pages and the JSON API.

One test id per cell, e.g. `report-confirm-staff_other-api`:
- allowed: the state changes, and exactly one history record is added, with that user (and
  the reason, where one is required);
- refused: 401/403/404 or a login redirect or an error message (each entry point's way), the
  state is unchanged and no history record is added.
The creating transitions (from NEW) have their own table (`matrix_create.CREATE_MATRIX`).
Then: the admin and the pages show only the allowed actions; a transition not possible from
the current state is refused with a message (409 in the API), never a 500; the system's own
transitions are offered nowhere; checking in by code is the member's alone."""

from dataclasses import dataclass

import pytest
from django.contrib.messages import ERROR
from django.db import transaction
from wagtail.models import Page

from tests.factories import SiteTree, build_site_tree
from tests.workflows import matrix_create as creating
from tests.workflows import matrix_drive as drive
from tests.workflows.matrix_table import (
    ADMIN,
    ADMIN_ROLES,
    API,
    EDIT_BEFORE_TRANSITION,
    ENTRY_POINTS,
    EXPECTED,
    PAGES,
    REASON_REQUIRED,
    REVIEWER_ROLES,
    SOURCE_STATE,
    SYSTEM_TRANSITIONS,
    TARGET_STATE,
    allowed_through,
    starts_from,
)
from tests.workflows.matrix_world import World, reviewers_available


@dataclass(frozen=True)
class Cell:
    workflow: str
    transition: str
    role: str
    entry: str

    @property
    def allowed(self) -> bool:
        return allowed_through(self.entry, self.workflow, self.transition, self.role)

    def __str__(self):
        return f"{self.workflow}-{self.transition}-{self.role}-{self.entry}"


def _roles(workflow: str, transition: str) -> list[str]:
    roles = EXPECTED[workflow, transition]
    return [r for r in roles if r not in REVIEWER_ROLES or reviewers_available()]


CELLS = [
    Cell(workflow, transition, role, entry)
    for (workflow, transition), entries in ENTRY_POINTS.items()
    for entry in entries
    for role in _roles(workflow, transition)
]


@pytest.fixture(scope="module")
def shared_tree(django_db_setup, django_db_blocker):
    """The site tree, built once for the module inside a transaction that is rolled back at
    its end (each test runs in a savepoint inside it): the tree is most of a cell's cost."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_site_tree()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(shared_tree, db):
    # Fresh copies: page objects cache their children count, which each test's rollback undoes.
    fresh = {
        name: Page.objects.get(pk=page.pk).specific for name, page in vars(shared_tree).items()
    }
    return World(tree=SiteTree(**fresh))


def history_count(obj) -> int:
    return obj.history.count()


def latest_history(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


def test_the_table_covers_every_transition_and_entry_point():
    assert set(EXPECTED) == set(ENTRY_POINTS) == set(SOURCE_STATE) == set(TARGET_STATE)


def test_every_declared_transition_is_in_a_table():
    """A transition added to a workflow must be written into the matrix (or be the system's);
    so must a workflow registered for a new model: every machine in the registry is read."""
    from workflows.statemachine import registry

    names = {model: name for name, model in creating.MODEL.items()}
    unnamed = [model.__name__ for model in registry if model not in names]
    assert not unnamed, f"workflows with no rows in the matrix: {unnamed}"
    declared = {(names[model], t.name) for model, m in registry.items() for t in m.transitions}
    system = {(w, t) for w, moves in SYSTEM_TRANSITIONS.items() for t in moves}
    # Signing up is one action for the member; the service picks the first state.
    creating_system = {("signup", f"submit_{s}") for s in ("approved", "pending", "waitlisted")}
    written = set(EXPECTED) | set(creating.CREATE_EXPECTED) | system | creating_system
    assert declared - {("signup", "submit")} <= written
    assert written - {("signup", "submit")} <= declared


@pytest.mark.parametrize("cell", CELLS, ids=str)
def test_permission_matrix(cell, world):
    obj = world.build(cell.workflow, SOURCE_STATE[cell.workflow, cell.transition])
    user = world.user(cell.role)
    records = history_count(obj)

    answer = drive.perform(
        cell.entry, workflow=cell.workflow, obj=obj, transition=cell.transition, user=user
    )

    obj.refresh_from_db()
    if cell.allowed:
        assert drive.was_done(cell.entry, answer), answer.describe()
        assert obj.state == TARGET_STATE[cell.workflow, cell.transition]
        edits = int((cell.workflow, cell.transition) in EDIT_BEFORE_TRANSITION)
        assert history_count(obj) == records + 1 + edits
        assert set(obj.history.all()[: 1 + edits].values_list("history_user", flat=True)) == {
            user.pk
        }
        latest = latest_history(obj)
        assert latest.history_user_id == user.pk
        assert latest.history_transition == cell.transition
        assert latest.history_target_state == obj.state
        if (cell.workflow, cell.transition) in REASON_REQUIRED:
            assert latest.history_reason == drive.REASON
    else:
        assert drive.was_refused(cell.entry, answer, anonymous=user is None), answer.describe()
        assert obj.state == SOURCE_STATE[cell.workflow, cell.transition]
        assert history_count(obj) == records


# --- The UI offers only the allowed actions -------------------------------------------------


@dataclass(frozen=True)
class View:
    """What `role` sees of one object in `state` through `entry`."""

    workflow: str
    state: str
    role: str
    entry: str

    def offered(self) -> list[str]:
        """The transitions of the workflow this entry point can show."""
        return [
            t
            for (w, t), entries in ENTRY_POINTS.items()
            if w == self.workflow and self.entry in entries
        ]

    def expected(self) -> set[str]:
        return {
            t
            for t in self.offered()
            if starts_from(self.workflow, t, self.state)
            and allowed_through(self.entry, self.workflow, t, self.role)
        }

    def __str__(self):
        return f"{self.workflow}-{self.state}-{self.role}-{self.entry}-buttons"


def _views(entry: str, roles) -> list[View]:
    states = {
        (w, s)
        for (w, t), s in SOURCE_STATE.items()
        if entry in ENTRY_POINTS[w, t] and (entry != ADMIN or w in drive.ADMIN_MODEL)
    }
    return [
        View(workflow, state, role, entry)
        for workflow, state in sorted(states)
        for role in _roles(workflow, next(t for (w, t) in EXPECTED if w == workflow))
        if role in roles
    ]


ALL_ROLES = set(EXPECTED["team", "approve"])


@pytest.mark.parametrize("view", _views(ADMIN, ADMIN_ROLES), ids=str)
def test_the_admin_shows_only_the_actions_allowed_now(view, world, client):
    """On the listing and on the object's inspect page, an action's button (its URL) is there
    exactly when the user may perform it now; an object out of scope is not shown at all."""
    obj = world.build(view.workflow, view.state)
    client.force_login(world.user(view.role))
    inspect = client.get(drive.admin_view_url(view.workflow, "inspect", obj.pk))
    listing = client.get(drive.admin_view_url(view.workflow, "index"))
    assert listing.status_code in (200, 302)
    assert inspect.status_code in (200, 302, 404)
    if view.expected():
        assert inspect.status_code == 200
    pages = inspect.content.decode() + listing.content.decode()
    shown = {t for t in view.offered() if drive.admin_action_url(view.workflow, obj, t) in pages}
    assert shown == view.expected()


# Where the member pages show each workflow's actions.
def _page_showing(workflow: str, obj) -> str:
    from django.urls import reverse

    if workflow == "signup":
        return obj.activity.get_url()
    if workflow == "team":
        return reverse("service:team_detail", args=[obj.team_id])
    return reverse("service:my_service")


@pytest.mark.parametrize("view", _views(PAGES, ALL_ROLES), ids=str)
def test_the_member_pages_show_only_the_actions_allowed_now(view, world, client):
    obj = world.build(view.workflow, view.state)
    user = world.user(view.role)
    if user is not None:
        client.force_login(user)
    response = client.get(_page_showing(view.workflow, obj))
    if user is None and response.status_code == 302:
        assert drive.is_login_redirect(PAGES, drive.Answer(response, []))
        return
    assert response.status_code == 200
    page = response.content.decode()
    shown = {
        t
        for t in view.offered()
        # A form posting to the action, or a link to the page that asks first (cancelling).
        if f'action="{drive.page_action_url(view.workflow, obj, t)}"' in page
        or f'href="{drive.page_action_url(view.workflow, obj, t)}"' in page
    }
    assert shown == view.expected()


# --- Not possible from the current state -------------------------------------------------------


def _doer(entry: str, workflow: str, transition: str) -> str | None:
    """A role that may perform the transition through `entry` (None if nobody may there)."""
    for role in ("owner", "staff", "leader", "superuser"):
        if role in EXPECTED[workflow, transition] and allowed_through(
            entry, workflow, transition, role
        ):
            return role
    return None


def _again_possible(workflow: str, transition: str) -> bool:
    """Whether the transition may run again from where it leads (assigning a request again
    hands it over): then a second time is no conflict."""
    from workflows.statemachine import registry as WORKFLOWS

    machine = WORKFLOWS[creating.MODEL[workflow]]
    return machine.by_name[transition].starts_from(TARGET_STATE[workflow, transition])


CONFLICT_CELLS = [
    Cell(workflow, transition, role, entry)
    for (workflow, transition), entries in ENTRY_POINTS.items()
    for entry in entries
    if (role := _doer(entry, workflow, transition)) and not _again_possible(workflow, transition)
]


@pytest.mark.parametrize("cell", CONFLICT_CELLS, ids=lambda c: f"{c}-again")
def test_a_transition_not_possible_now_is_refused_with_a_message(cell, world):
    """Doing it a second time: the object is no longer in a state the transition starts from.
    The API answers 409 with the message; the admin and the pages say it (never a 500)."""
    from workflows.statemachine import NOT_FROM_THIS_STATE
    from workflows.statemachine import registry as WORKFLOWS

    obj = world.build(cell.workflow, SOURCE_STATE[cell.workflow, cell.transition])
    user = world.user(cell.role)
    ask = dict(workflow=cell.workflow, obj=obj, transition=cell.transition, user=user)
    assert drive.was_done(cell.entry, drive.perform(cell.entry, **ask))
    obj.refresh_from_db()
    records = history_count(obj)

    answer = drive.perform(cell.entry, **ask)

    workflow = WORKFLOWS[type(obj)]
    message = str(
        NOT_FROM_THIS_STATE
        % {"state": obj.get_state_display(), "action": workflow.by_name[cell.transition].label}
    )
    if cell.entry == API:
        assert answer.status == 409, answer.describe()
        assert answer.response.json() == {"detail": message}
    elif (cell.workflow, cell.transition) == ("assessment", "submit"):
        # The assessment page saves the form first, and says the assessment is locked.
        from volunteering.assessment.services import ASSESSMENT_LOCKED

        assert answer.status == 409, answer.describe()
        assert str(ASSESSMENT_LOCKED) in answer.said(ERROR), answer.describe()
    else:
        assert answer.status == 302, answer.describe()
        assert message in answer.said(ERROR), answer.describe()
    obj.refresh_from_db()
    assert obj.state == TARGET_STATE[cell.workflow, cell.transition]
    assert history_count(obj) == records


# --- The system's own moves are offered nowhere ------------------------------------------------

SYSTEM_CELLS = [
    (workflow, transition, state)
    for workflow, moves in SYSTEM_TRANSITIONS.items()
    for transition, state in moves.items()
]


@pytest.mark.parametrize(
    ("workflow", "transition", "state"), SYSTEM_CELLS, ids=[f"{w}-{t}" for w, t, _s in SYSTEM_CELLS]
)
def test_a_system_transition_is_not_an_action_anywhere(workflow, transition, state, world, client):
    """Promoting from the waitlist, signing up again and checking in by code happen through
    their own services: no button in the admin, and the admin's action URL and the API refuse
    them even to the superuser and to the member whose sign-up it is."""
    obj = world.build(workflow, state)
    superuser = world.user("superuser")
    client.force_login(superuser)
    inspect = client.get(drive.admin_view_url(workflow, "inspect", obj.pk)).content.decode()
    assert drive.admin_action_url(workflow, obj, transition) not in inspect
    records = history_count(obj)
    for role in ("superuser", "owner"):
        ask = dict(workflow=workflow, obj=obj, transition=transition, user=world.user(role))
        admin = drive.perform(ADMIN, **ask)
        assert drive.was_refused(ADMIN, admin, anonymous=False), admin.describe()
        if workflow in drive.API_PATH:  # the API acts on reports and sign-ups only
            api = drive.perform(API, **ask)
            assert api.status == 404, api.describe()
    obj.refresh_from_db()
    assert obj.state == state
    assert history_count(obj) == records


# --- Checking in by code: the member's own move ------------------------------------------------


def checkin_url(activity) -> str:
    return activity.get_url() + activity.reverse_subpage("checkin")


CHECKIN_ROLES = ["anonymous", "owner", "other_member", "staff", "city_admin", "superuser"]


@pytest.mark.parametrize("role", CHECKIN_ROLES, ids=lambda r: f"signup-check_in-{r}-pages")
def test_only_the_member_checks_in_by_code(role, world):
    """The check-in page (reached from the QR code) signs in the member whose sign-up is
    approved; anyone else with the code changes nothing."""
    signup = world.build("signup", "approved")
    user = world.user(role)
    records = history_count(signup)

    answer = drive.post_as(
        user, checkin_url(signup.activity), {"code": signup.activity.checkin_code}
    )

    signup.refresh_from_db()
    if role == "owner":
        assert drive.was_done(PAGES, answer), answer.describe()
        assert signup.state == "attended"
        assert history_count(signup) == records + 1
        assert latest_history(signup).history_user_id == user.pk
    else:
        assert drive.was_refused(PAGES, answer, anonymous=user is None), answer.describe()
        assert signup.state == "approved"
        assert history_count(signup) == records


def test_a_wrong_code_checks_nobody_in(world):
    signup = world.build("signup", "approved")
    code = signup.activity.checkin_code + "x"
    answer = drive.post_as(world.user("owner"), checkin_url(signup.activity), {"code": code})
    assert drive.was_refused(PAGES, answer, anonymous=False), answer.describe()
    signup.refresh_from_db()
    assert signup.state == "approved"


# --- Creating: the transitions from NEW --------------------------------------------------------

CREATE_CELLS = [
    Cell(workflow, transition, role, entry)
    for (workflow, transition), entries in creating.CREATE_ENTRY_POINTS.items()
    for entry in entries
    for role in creating.CREATE_EXPECTED[workflow, transition]
    if role not in REVIEWER_ROLES or reviewers_available()
]


@pytest.mark.parametrize("cell", CREATE_CELLS, ids=str)
def test_creating_matrix(cell, world):
    """Allowed: exactly one new object, in its first state, with one history record by that
    user. Refused: nothing created."""
    model = creating.MODEL[cell.workflow]
    target = creating.target_of(world, cell.workflow)
    user = world.user(cell.role)
    existing = set(model.objects.values_list("pk", flat=True))

    answer = creating.create(
        cell.entry, workflow=cell.workflow, target=target, user=user, world=world
    )

    new = list(model.objects.exclude(pk__in=existing))
    allowed = creating.CREATE_EXPECTED[cell.workflow, cell.transition][cell.role] and (
        cell.entry != ADMIN or cell.role in ADMIN_ROLES
    )
    if allowed:
        assert creating.was_created(cell.entry, answer, cell.workflow), answer.describe()
        assert len(new) == 1
        (obj,) = new
        initial = creating.INITIAL_STATE_OF.get((cell.workflow, cell.transition))
        assert obj.state == (initial or creating.INITIAL_STATE[cell.workflow])
        if hasattr(obj, "member_id"):
            assert obj.member_id == world.owner.pk
        assert history_count(obj) == 1
        latest = latest_history(obj)
        assert latest.history_user_id == (user.pk if user else None)
        # The transition that created it (signing up: the one the service picked).
        assert latest.history_transition.startswith(cell.transition)
        assert (latest.history_source_state, latest.history_target_state) == ("new", obj.state)
    else:
        assert creating.was_refused(cell.entry, answer, anonymous=user is None), answer.describe()
        assert new == []
