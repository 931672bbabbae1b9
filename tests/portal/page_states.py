"""The world of the page actions' corpus test (tests/portal/test_page_actions_fuzz.py): the
editorial roles as the portal's setup makes them (`portal.demo.ensure_groups`: the news
editors 编辑, the city reviewers 城市审核人, community A's reviewers 麒麟社区审核人), pages in
every state the editorial workflow and scheduling give them, and the roles' own objects in
every state their state machine has (`workflows.statemachine.registry`), beside the open ones
of `sweep_world.build_own`."""

import datetime

from django.utils import timezone
from wagtail.models import Page

from portal.demo import EDITORS, REVIEWERS, community_reviewer_group_name, ensure_groups
from tests import factories
from tests.portal.sweep_world import Foreign
from volunteering.letters.models import Letter
from workflows.statemachine import fixture_states, machine_for

DAY = datetime.timedelta(days=1)


def build_editorial_roles(tree, users: dict) -> None:
    """The editor, the city reviewer and community A's reviewer, each in the group the
    portal's setup makes for them, added to `users`."""
    home, news, community = tree.home.specific, tree.news.specific, tree.community.specific
    groups = ensure_groups(home, news, [community])
    for who, group in (
        ("editor", EDITORS),
        ("reviewer", REVIEWERS),
        ("community_reviewer", community_reviewer_group_name(community)),
    ):
        user = factories.UserFactory(username=f"{who}-fuzz")
        user.groups.add(groups[group])
        users[who] = user


# --- Pages in every state ----------------------------------------------------------------------


def _submitted(page, by):
    page.save_revision(user=by)
    return page.get_workflow().start(page, by)


def page_states(factory, parent, author, city, label: str) -> dict:
    """One page of `factory` under `parent` in each state: a draft, live, live with a newer
    draft, in review at its first and its second step, sent back (needs changes), its review
    cancelled, approved (published by the workflow), scheduled, expired, unpublished, and
    locked by somebody else."""
    now = timezone.now()

    def make(state, **fields):
        page = factory(parent=parent, title=f"{label}{state}", owner=author, **fields)
        page.save_revision(user=author)
        return page

    pages = {"draft": make("草稿", live=False)}
    pages["live"] = make("已发布")
    changed = pages["live_with_draft"] = make("有新草稿")
    changed.title += "（改）"
    changed.save_revision(user=author)
    pages["in_review"] = make("审核中", live=False)
    _submitted(pages["in_review"], author)
    second = pages["second_step"] = make("终审中", live=False)
    _submitted(second, author).current_task_state.approve(user=city)
    rejected = pages["needs_changes"] = make("退回修改", live=False)
    _submitted(rejected, author).current_task_state.reject(user=city, comment="改")
    pages["cancelled"] = make("撤回审核", live=False)
    _submitted(pages["cancelled"], author).cancel(user=author)
    approved = pages["approved"] = make("已通过", live=False)
    state = _submitted(approved, author)
    state.current_task_state.approve(user=city)
    state.refresh_from_db()
    state.current_task_state.approve(user=city)
    scheduled = pages["scheduled"] = make("定时发布", live=False, go_live_at=now + 3 * DAY)
    scheduled.get_latest_revision().publish(user=city)
    expired = pages["expired"] = make("已过期")
    Page.objects.filter(pk=expired.pk).update(live=False, expired=True, expire_at=now - DAY)
    pages["unpublished"] = make("已撤下")
    pages["unpublished"].unpublish(user=city)
    locked = pages["locked"] = make("已锁定")
    Page.objects.filter(pk=locked.pk).update(locked=True, locked_by=city, locked_at=now)
    return {name: Page.objects.get(pk=page.pk).specific for name, page in pages.items()}


# --- The roles' own objects in their other states ----------------------------------------------

# Kinds of `build_own` whose model has a state machine, and the field naming their member (a
# copy in another state is given a member of its own, as constraints allow one per member).
STATEFUL = ("report", "accountclosure", "assessment", "signup", "needclaim", "postpledge")
STATEFUL_NO_MEMBER = ("need", "feedback")
TEAM = "teammembership"


def other_states(own: Foreign) -> Foreign:
    """A copy of each of the roles' own stateful objects in every state its machine has but the
    one `build_own` made it in (a confirmed, returned, withdrawn report; a closed need; a
    rejected, cancelled, attended sign-up…), by kind like `Foreign`; and community A's letters
    once sent, published, and in review."""
    states = Foreign()
    organisation = own.objects[1]
    with fixture_states():
        for kind in (*STATEFUL, *STATEFUL_NO_MEMBER, TEAM):
            original = _own_object(own, kind)
            for state in _other_states(original):
                states.add(kind, _copy(original, state, organisation))
    _letters(own, states)
    return states


def _own_object(own: Foreign, kind: str):
    pk = own.ids[kind][0]
    return next(obj for obj in own.objects if obj.pk == pk and _kind(obj) == kind)


def _kind(obj) -> str:
    return type(obj)._meta.model_name


def _other_states(obj) -> list[str]:
    machine = machine_for(type(obj))
    model_field = type(obj)._meta.get_field(machine.field)
    return [value for value, _label in model_field.choices if value != machine.state_of(obj)]


def _copy(original, state: str, organisation):
    obj = type(original)._base_manager.get(pk=original.pk)
    obj.pk = obj.id = None
    obj._state.adding = True
    if hasattr(obj, "member_id"):
        obj.member = factories.MemberFactory(organisation=organisation)
    setattr(obj, machine_for(type(obj)).field, state)
    _STATE_NEEDS.get((_kind(obj), state), lambda obj: None)(obj)
    for unique in obj._meta.concrete_fields:  # a feedback's code
        if unique.unique and not unique.primary_key and getattr(obj, unique.attname):
            setattr(
                obj, unique.attname, f"{getattr(obj, unique.attname)}{state}"[-unique.max_length :]
            )
    obj.save()
    return obj


# What a state requires beside itself (the models' check constraints).
_STATE_NEEDS = {
    ("feedback", "closed"): lambda obj: setattr(obj, "outcome", "answered"),
    ("feedback", "assigned"): lambda obj: setattr(
        obj, "assigned_member", factories.MemberFactory(real_name="受派党员")
    ),
}


def _letters(own: Foreign, states: Foreign) -> None:
    draft = Letter.objects.get(pk=own.ids["letter"][0])
    fields = {
        "community": draft.community,
        "audience_community": draft.audience_community,
        "sender": Letter.Sender.COMMUNITY,
    }
    sent = factories.LetterFactory(title="麒麟已发的信", sent_at=timezone.now(), **fields)
    states.add("letter", sent)
    states.add("letter", factories.LetterFactory(title="麒麟已发布的信", live=True, **fields))
