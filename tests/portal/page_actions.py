"""The machinery of the page actions' corpus test (tests/portal/test_page_actions_fuzz.py, whose
docstring says what it does): the page editor's actions beside saving — publish, submit, the
workflow's actions, scheduling, preview, unpublish, copy, move, delete, revisions, locking,
privacy — each address filled with the page's own ids and forged ones, its form posted with
the corpus (`admin_fuzz`), and what a refused post must leave as it was."""

import itertools
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.test import Client
from wagtail.models import Page, Revision, TaskState, WorkflowState

from tests.portal.admin_fuzz import (
    CORPUS,
    GET_ROUNDS,
    LISTING_PARAMETERS,
    LONG_ADDRESS,
    REDIRECTS,
    dealt,
    declared,
    problems_of,
    spoiled,
)

FORGED = 2**31 - 1  # an id of nothing
DEAL = None  # an extra field's value: dealt from the corpus
# Each name the edit view reads from its post beside the form (Wagtail's pages/edit.py): the
# buttons, the workflow's action and its JSON data, and the autosave's revision checks.
EDIT_ACTIONS = (
    {},
    {"action-publish": "1"},
    {"action-submit": "1"},
    {"action-restart-workflow": "1"},
    {"action-cancel-workflow": "1"},
    {"action-workflow-action": "1", "workflow-action-name": "approve"},
    {"action-workflow-action": "1", "workflow-action-name": DEAL},
    {
        "action-workflow-action": "1",
        "workflow-action-name": "reject",
        "workflow-action-extra-data": DEAL,
    },
    {"overwrite_revision_id": DEAL, "loaded_revision_id": DEAL},
)
# Dates no calendar has, out of range, and an expiry before the page goes live.
SCHEDULES = (
    {"go_live_at": "2026-02-30 10:00", "expire_at": "99999-12-31 00:00"},
    {"go_live_at": "1e400", "expire_at": "-1"},
    {"go_live_at": "2030-01-02 10:00", "expire_at": "2030-01-01 10:00"},
    {"go_live_at": "0001-01-01 00:00", "expire_at": "9999-12-31 23:59"},
)
WORKFLOW_ACTIONS = ("approve", "reject", "publish", "publish_with_comment", "zz-forged")
WORKFLOW_FIELDS = ["comment", "confirm_publish", "next"]


@dataclass
class PageIds:
    """What goes into one page's action addresses: its own ids and others (another page's
    revision and review, a page it may be moved under and one it may not)."""

    page: Page
    destination: int
    foreign_destination: int
    other_revision: int
    other_task_state: int

    @property
    def revision(self) -> int:
        return self.page.latest_revision_id or FORGED

    @property
    def task_state(self) -> int:
        states = TaskState.objects.filter(workflow_state__object_id=str(self.page.pk))
        return states.order_by("-pk").values_list("pk", flat=True).first() or FORGED

    @property
    def workflow_state(self) -> int:
        states = WorkflowState.objects.filter(object_id=str(self.page.pk)).order_by("-pk")
        return states.values_list("pk", flat=True).first() or FORGED


def page_snapshot(pk: int):
    """What a refused action must leave as it was: the page's fields, its revisions, its
    reviews and their steps, and how many pages there are."""
    page = Page.objects.filter(pk=pk).first()
    fields = None
    if page is not None:
        page = page.specific
        fields = {f.attname: f.value_to_string(page) for f in page._meta.concrete_fields}
    reviews = list(
        WorkflowState.objects.filter(object_id=str(pk)).order_by("pk").values_list("pk", "status")
    )
    steps = list(
        TaskState.objects.filter(workflow_state__object_id=str(pk))
        .order_by("pk")
        .values_list("pk", "status")
    )
    revisions = Revision.objects.filter(object_id=str(pk)).count()
    return fields, reviews, steps, revisions, Page.objects.count()


def _body(fields, extra: dict, start: int, third) -> str:
    body = [(name, value) for name, value in spoiled(fields, start, third) if name not in extra]
    dealt_names = [name for name, value in extra.items() if value is DEAL]
    body += [(name, value.encode()) for name, value in extra.items() if value is not DEAL]
    body += dealt(dealt_names, start + 3)
    return urlencode(body)


class PageFuzz:
    """Fuzzes one role's page actions, collecting problems; `seeds` deal the corpus."""

    def __init__(self, client: Client, who: str, seed: int):
        self.client, self.who = client, who
        self.seeds = itertools.count(seed)
        self.problems: list[str] = []
        self.answered = 0  # addresses that answered 200: the role really reached them

    def get(self, url: str):
        response = self.client.get(url)
        self.problems += problems_of("GET", url, self.who, response)
        self.answered += response.status_code == 200
        return response

    def post(self, url: str, body: str, pk: int):
        before = page_snapshot(pk)
        response = self.client.post(url, body, "application/x-www-form-urlencoded")
        self.problems += problems_of("POST", url, self.who, response)
        if response.status_code not in REDIRECTS and page_snapshot(pk) != before:
            if not (response.status_code == 200 and b'"success"' in response.content):
                self.problems.append(
                    f"POST {url} as {self.who}: {response.status_code}, yet it wrote"
                )
        return response

    def form(self, url: str, pk: int, extras=({},), *, posted: bool = True):
        """GET the address (and with the corpus in its query), then post its form back with
        each of `extras`, spoiled whole and by half."""
        page = self.get(url)
        if page.status_code != 200 or page.streaming:
            return None
        path = urlsplit(url).path
        found = declared(page.content.decode("utf-8", "replace"), path)
        rounds = GET_ROUNDS if len(found.query) > len(LISTING_PARAMETERS) else 1
        for round_ in range(rounds):
            query = urlencode(dealt(found.query, next(self.seeds) + round_ * 7, LONG_ADDRESS))
            self.get(f"{path}?{query}")
        fields = max(found.posts, key=len) if found.posts else []
        if not posted:
            return fields
        for index, extra in enumerate(extras):  # spoiled whole, then by halves, in turn
            third = (None, 0, 1)[index % 3]
            self.post(url, _body(fields, extra, next(self.seeds), third), pk)
        return fields

    def direct(self, url: str, pk: int, names: list[str], rounds: int = 1):
        """Posts with the corpus in `names` (an address whose form is elsewhere: a button or
        a dialog)."""
        for round_ in range(rounds):
            self.post(url, urlencode(dealt(names, next(self.seeds) + round_ * 5)), pk)

    # --- The actions -----------------------------------------------------------------------

    def editor(self, ids: PageIds):
        """Save, publish, submit, the workflow's buttons; scheduling; the preview."""
        pk, url = ids.page.pk, f"/admin/pages/{ids.page.pk}/edit/"
        fields = self.form(url, pk, EDIT_ACTIONS)
        if fields is None:
            return
        for schedule in SCHEDULES:
            given = [(name, value) for name, value in fields if name not in schedule]
            body = [(n, v.encode()) for n, v in given if v is not None]
            body += [(n, v.encode()) for n, v in {**schedule, "action-publish": "1"}.items()]
            self.post(url, urlencode(body), pk)
        preview = f"{url}preview/"
        for third in (None, 1):
            self.post(preview, _body(fields, {}, next(self.seeds), third), pk)
        for mode in (CORPUS[0], CORPUS[2], b"zz"):
            self.get(f"{preview}?{urlencode({'mode': mode[:LONG_ADDRESS]})}")

    def workflow(self, ids: PageIds):
        """The review's dialogs and their posts (as the reviewer), with this page's current
        step, another page's and none; the review's history, preview and cancellation."""
        pk, base = ids.page.pk, "/admin/pages/workflow"
        for action in WORKFLOW_ACTIONS:
            url = f"{base}/action/{pk}/{action}/{ids.task_state}/"
            self.get(url)
            self.direct(url, pk, WORKFLOW_FIELDS)
            collect = f"{base}/collect_action_data/{pk}/{action}/{ids.task_state}/"
            self.direct(collect, pk, WORKFLOW_FIELDS)
        for task_state in (ids.other_task_state, FORGED):
            for action in WORKFLOW_ACTIONS[:2]:
                self.direct(f"{base}/action/{pk}/{action}/{task_state}/", pk, WORKFLOW_FIELDS)
        self.get(f"{base}/confirm_cancellation/{pk}/")
        for task in (ids.task_state, FORGED):
            self.get(f"{base}/preview/{pk}/{task}/")
        history = f"/admin/pages/{pk}/workflow_history/"
        self.form(history, pk, posted=False)
        for state in (ids.workflow_state, FORGED):
            self.get(f"{history}detail/{state}/")

    def revisions(self, ids: PageIds):
        """History, revisions (its own, another page's, none), compare, revert, unschedule."""
        pk, base = ids.page.pk, f"/admin/pages/{ids.page.pk}"
        self.form(f"{base}/history/", pk, posted=False)
        self.get(f"{base}/revisions/")
        for revision in (ids.revision, ids.other_revision, FORGED):
            self.get(f"{base}/revisions/{revision}/view/")
            revert = f"{base}/revisions/{revision}/revert/"
            if revision == ids.revision:
                self.form(revert, pk, ({}, {"action-publish": "1"}))
            else:
                self.get(revert)
            unschedule = f"{base}/revisions/{revision}/unschedule/"
            self.get(unschedule)
            self.direct(unschedule, pk, ["next"])
        pairs = (
            ("earliest", "latest"),
            (ids.revision, ids.other_revision),
            (FORGED, "live"),
            ("live", ids.revision),
        )
        for a, b in pairs:
            self.get(f"{base}/revisions/compare/{a}...{b}/")

    def tree(self, ids: PageIds):
        """Unpublish, copy (to its parent, another community, nowhere), move (the chooser and
        the confirmations with forged destinations), delete's confirmation, locking,
        privacy, position, alias, usage, draft."""
        pk, base = ids.page.pk, f"/admin/pages/{ids.page.pk}"
        self.form(f"{base}/unpublish/", pk)
        copies = (
            {},
            {"new_parent_page": str(ids.foreign_destination)},
            {"new_parent_page": str(FORGED), "new_slug": DEAL, "new_title": DEAL},
            {"new_parent_page": str(pk), "copy_subpages": "on", "alias": "on"},
        )
        self.form(f"{base}/copy/", pk, copies)
        self.form(f"{base}/move/", pk, ({"new_parent_page": str(ids.foreign_destination)},))
        for destination in (ids.destination, ids.foreign_destination, FORGED, pk):
            self.form(f"{base}/move/{destination}/confirm/", pk, ({"next": DEAL},))
        self.form(f"{base}/delete/", pk, posted=False)
        for lock in ("lock", "unlock", "lock"):
            self.direct(f"{base}/{lock}/", pk, ["next"])
        self.form(f"{base}/privacy/", pk, ({}, {"restriction_type": DEAL, "password": DEAL}))
        self.direct(f"{base}/set_position/", pk, ["position"], rounds=2)
        for address in ("convert_alias/", "usage/", "view_draft/", "add_subpage/"):
            self.get(f"{base}/{address}")

    def delete(self, pk: int):
        """Delete a throwaway page, with the corpus in `next` (the post deletes whatever it
        says: done once, last)."""
        self.direct(f"/admin/pages/{pk}/delete/", pk, ["next"])
