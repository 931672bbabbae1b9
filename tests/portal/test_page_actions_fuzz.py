"""Issue 12's corpus through what the staff-side corpus test (test_admin_fuzz.py) left out: the
page editor's actions other than saving, the editorial roles, and objects past their open
state.

- **Page actions** (`page_actions.PageFuzz`), on a page of each of the portal's page types as
  the city (a superuser), and on pages in every editorial state (`page_states.page_states`: a
  draft, live, live with a newer draft, in review at the first and the second step, sent back,
  review cancelled, approved, scheduled, expired, unpublished, locked by somebody else) as the
  roles who work on them: community A's staff and reviewer on community A's pages (the
  two-step review 社区审核 → 发布审批), the news editor and the city reviewer on the city's
  news (编辑部审核 → 发布审批), and the city (`STATE_PLAN`: who meets which states). On every
  page: the editor's post with every button Wagtail reads (save, publish, submit, restart and
  cancel the review, a workflow action by name with its JSON data) and the autosave's revision
  checks, spoiled whole or by half in turn; scheduling with impossible, out-of-range and
  crossed dates; the preview (posted, and opened with a forged mode). On the pages in states,
  also the review's dialogs and posts (approve, reject, publish, a forged
  action) with the page's own step, another page's and none, a comment and `next` from the
  corpus; the review's history and preview; and on each role's first state (and the scheduled
  one's revisions): history, revisions (its own, another page's,
  none), compare, revert, unschedule; unpublish; copy (to another community, to nowhere,
  under itself with its subpages as an alias); move (the chooser, and confirmations to its
  parent, another community, nowhere, itself); delete's confirmation; lock and unlock with a
  `next`; privacy; position; usage; the draft. Then a throwaway page deleted with a `next`,
  and the role's lists (dashboard, page search, workflow reports, their branch's explorer).
- **Roles' objects in their other states** (`page_states.other_states`: a confirmed, returned,
  withdrawn report; a closed need; every state of a sign-up, a claim, a pledge, a team request,
  a closure request, an assessment, a feedback; a sent and a published letter): their edit and
  inspect pages and the actions they offer, as community A's staff; and every transition of
  their machine posted to each, as the staff and as the city admin (those the state does not
  allow must be refused cleanly and change nothing).

It fails on a 5xx or a traceback, on a refused post (not a redirect, not the review dialog's
"success") that changed the page, its revisions, its reviews or the number of pages, or the
object posted to; and on any text column holding a refused character at the end."""

import itertools
from urllib.parse import urlencode

import pytest
from django.db import connection
from wagtail.models import Page, get_page_models

from tests import factories
from tests.factories import build_site_tree
from tests.portal.admin_fuzz import (
    Target,
    admin_targets,
    dealt,
    fuzz,
    problems_of,
    stored_forbidden,
)
from tests.portal.page_actions import PageFuzz, PageIds
from tests.portal.page_states import build_editorial_roles, other_states, page_states
from tests.portal.sweep_world import (
    Foreign,
    build_foreign,
    build_own,
    build_roles,
    city_admin,
    rolled_back,
)
from tests.portal.test_admin_fuzz import signed_in
from workflows.statemachine import machine_for

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="swept in the SQLite suite")
PROJECT = ("portal", "volunteering", "news")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        tree = build_site_tree()
        roles = build_roles(tree)
        foreign = build_foreign(tree, roles)
        users = roles.users
        users["city"] = factories.UserFactory(username="city-acts", is_superuser=True)
        users["cityadmin"] = city_admin("cityadmin-acts")
        build_editorial_roles(tree, users)
        factories.BrandProjectPageFactory(parent=tree.community, title="品牌项目")
        factories.ActivityIndexPageFactory(parent=tree.community, title="活动")
        own = build_own(tree, roles)
        states = {
            "community": page_states(
                factories.StandardPageFactory, tree.community, users["staff"], users["city"], "麒麟"
            ),
            "news": page_states(
                factories.NewsPageFactory, tree.news, users["editor"], users["city"], "新闻"
            ),
        }
        yield tree, roles, foreign, own, states, other_states(own)


def ids_of(page, tree, foreign, destination) -> PageIds:
    return PageIds(
        page=Page.objects.get(pk=page.pk),
        destination=destination.pk,
        foreign_destination=tree.other_community.pk,
        other_revision=foreign.ids["revision"][0],
        other_task_state=foreign.ids["taskstate"][0],
    )


def project_page_types() -> list[str]:
    return sorted(m._meta.label for m in get_page_models() if m.__module__.split(".")[0] in PROJECT)


@pytest.mark.parametrize("label", project_page_types())
def test_every_page_types_editor_actions_answer_the_corpus_without_a_5xx(world, label, db):
    """The editor's posts, scheduling and preview on a page of each type (their forms differ
    by type; the other actions' views do not, and run on the pages in states below)."""
    tree, roles, foreign, _own, _states, _objects = world
    model = next(m for m in get_page_models() if m._meta.label == label)
    page = model.objects.order_by("pk").first()
    assert page is not None, f"no {label} in the world"
    fuzzer = PageFuzz(signed_in(roles.users["city"]), "city", sum(map(ord, label)))
    fuzzer.editor(ids_of(page, tree, foreign, page.get_parent()))
    assert not fuzzer.problems, "\n".join(fuzzer.problems)
    assert fuzzer.answered >= 3


# Who works on which pages in which states (the first: every action, on the others the editor
# and the review; `scheduled` and `live_with_draft` with their revisions too).
STATE_PLAN = {
    ("community", "staff"): ("draft", "in_review", "locked"),
    ("community", "community_reviewer"): ("in_review", "second_step"),
    ("community", "city"): ("second_step", "scheduled", "approved", "cancelled", "expired"),
    ("news", "editor"): ("needs_changes", "live_with_draft", "unpublished"),
    ("news", "reviewer"): ("in_review", "live"),
}


@pytest.mark.parametrize("branch, who", list(STATE_PLAN))
def test_page_actions_in_every_editorial_state_answer_the_corpus_without_a_5xx(
    world, branch, who, db
):
    tree, roles, foreign, _own, states, _objects = world
    destination = tree.community if branch == "community" else tree.news
    fuzzer = PageFuzz(signed_in(roles.users[who]), who, sum(map(ord, branch + who)))
    for index, state in enumerate(STATE_PLAN[branch, who]):
        ids = ids_of(states[branch][state], tree, foreign, destination)
        fuzzer.editor(ids)
        fuzzer.workflow(ids)
        if index == 0 or state in ("scheduled", "live_with_draft"):
            fuzzer.revisions(ids)
        # A community's reviewers hold no page permission: nothing to copy, move or lock.
        if index == 0 and who != "community_reviewer":
            fuzzer.tree(ids)
    fuzzer.delete(states[branch]["draft"].pk)
    problems = fuzzer.problems + their_lists(fuzzer.client, who, destination.pk)
    problems += stored_forbidden()
    assert not problems, "\n".join(problems)
    # The role really reached its pages (a reviewer only those waiting on them).
    assert fuzzer.answered >= 5, fuzzer.answered


# Where the editorial roles find their work: the dashboard (their review queue), the page
# search, the workflow reports, the explorer of their branch.
LISTS = ("/admin/", "/admin/pages/search/", "/admin/reports/workflow/")
LISTS += ("/admin/reports/workflow_tasks/", "/admin/pages/{branch}/")


def their_lists(client, who: str, branch: int) -> list[str]:
    seeds = itertools.count(sum(map(ord, who)) + 29)
    return [
        problem
        for url in LISTS
        for problem in fuzz(client, who, Target(url.format(branch=branch)), next(seeds))
    ]


def test_every_page_state_is_in_the_plan(world, db):
    """Each state `page_states` makes is met by some role: a new state is not left out."""
    _tree, _roles, _foreign, _own, states, _objects = world
    planned = {state for plan in STATE_PLAN.values() for state in plan}
    assert planned == set(states["community"])


def state_targets(foreign: Foreign, own: Foreign, objects: Foreign) -> list[Target]:
    """The admin addresses of each object in another state (those `build_own`'s open object
    does not fill)."""
    ids = {**foreign.ids, **own.ids}
    base = {t.url for t in admin_targets(Foreign(ids=ids))}
    found = {}
    for kind, pks in objects.ids.items():
        for pk in pks:
            filled = Foreign(ids={**ids, kind: [pk]})
            for target in admin_targets(filled):
                if target.url not in base:
                    found.setdefault(target.url, target)
    return list(found.values())


def every_transition(client, who: str, objects: Foreign, seed: int) -> list[str]:
    """Each transition of an object's machine posted to its action address, with a reason and
    a `next` from the corpus: one its state does not allow must change nothing."""
    problems = []
    seeds = itertools.count(seed)
    for obj in objects.objects:
        machine = machine_for(type(obj))
        if machine is None or type(obj)._meta.model_name == "assessment":
            continue  # an assessment is decided on its own page (assessment/), fuzzed above
        model = type(obj)
        for transition in machine.transitions:
            url = f"/admin/volunteering/{model._meta.model_name}/action/{obj.pk}/{transition.name}/"
            before = machine.state_of(model._base_manager.get(pk=obj.pk))
            body = urlencode(dealt(["reason", "note", "next"], next(seeds)))
            response = client.post(url, body, "application/x-www-form-urlencoded")
            problems += problems_of("POST", url, who, response)
            after = machine.state_of(model._base_manager.get(pk=obj.pk))
            if after != before and not transition.starts_from(before):
                problems.append(f"{url} as {who}: {before} → {after}, not a transition from it")
    return problems


def test_objects_in_every_state_answer_the_corpus_without_a_5xx(world, db):
    """As community A's staff, who decide on them: each object's edit and inspect pages and
    the actions they offer, fuzzed; then every transition posted to each."""
    _tree, roles, foreign, own, _states, objects = world
    client = signed_in(roles.users["staff"])
    seeds = itertools.count(311)
    problems, actions, answered = [], {}, 0
    for target in state_targets(foreign, own, objects):
        if not any(part in target.url for part in ("/edit/", "/inspect/")):
            continue  # history, usage and delete: the same views as the open object's
        before = len(actions)
        problems += fuzz(client, "staff", target, next(seeds), actions)
        answered += client.get(target.url).status_code == 200 or len(actions) > before
    for target in actions.values():
        problems += fuzz(client, "staff", target, next(seeds))
    problems += every_transition(client, "staff", objects, next(seeds))
    problems += stored_forbidden()
    assert not problems, "\n".join(problems)
    assert answered >= 20, answered


def test_every_transition_of_objects_in_every_state_is_refused_or_done_cleanly_for_the_city(
    world, db
):
    _tree, roles, _foreign, _own, _states, objects = world
    client = signed_in(roles.users["cityadmin"])
    problems = every_transition(client, "cityadmin", objects, 17) + stored_forbidden()
    assert not problems, "\n".join(problems)
